# expect time: O(n^2); space: O(n^2); why: one step per cell of an m x n table
# expect-multi time: O(n*m); space: O(n*m)
def unique_paths(m, n):
    grid = [[1] * n for _ in range(m)]
    for r in range(1, m):
        for c in range(1, n):
            grid[r][c] = grid[r - 1][c] + grid[r][c - 1]
    return grid[m - 1][n - 1]

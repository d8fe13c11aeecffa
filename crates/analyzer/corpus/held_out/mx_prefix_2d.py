# expect time: O(n^2); space: O(n^2); why: one constant step per cell of an (n+1) x (m+1) table
# expect-multi time: O(n*m); space: O(n*m)
def prefix_sums(grid):
    rows, cols = len(grid), len(grid[0])
    ps = [[0] * (cols + 1) for _ in range(rows + 1)]
    for r in range(rows):
        for c in range(cols):
            ps[r + 1][c + 1] = grid[r][c] + ps[r][c + 1] + ps[r + 1][c] - ps[r][c]
    return ps

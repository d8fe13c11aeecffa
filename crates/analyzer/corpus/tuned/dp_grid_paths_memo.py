# expect time: O(n^2); space: O(n^2); why: each cell is a memo state computed once; the dict holds them all and the recursion is n+m deep
# expect-multi time: O(n*m); space: O(n*m)
def count_paths(grid):
    rows, cols = len(grid), len(grid[0])
    memo = {}

    def go(r, c):
        if r >= rows or c >= cols or grid[r][c] == 1:
            return 0
        if r == rows - 1 and c == cols - 1:
            return 1
        if (r, c) in memo:
            return memo[(r, c)]
        memo[(r, c)] = go(r + 1, c) + go(r, c + 1)
        return memo[(r, c)]

    return go(0, 0)

# expect time: O(n^2); space: O(n^2); why: each cell checks eight neighbours and the next generation is a new grid
# expect-multi time: O(n*m); space: O(n*m)
def next_generation(board):
    rows, cols = len(board), len(board[0])
    new = [[0] * cols for _ in range(rows)]
    for r in range(rows):
        for c in range(cols):
            alive = 0
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    if (dr or dc) and 0 <= r + dr < rows and 0 <= c + dc < cols:
                        alive += board[r + dr][c + dc]
            if board[r][c] and alive in (2, 3):
                new[r][c] = 1
            elif not board[r][c] and alive == 3:
                new[r][c] = 1
    return new

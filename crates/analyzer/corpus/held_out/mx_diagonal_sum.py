# expect time: O(n); space: O(1); why: one pass down the diagonals of an n x n matrix
def diagonal_sum(mat):
    n = len(mat)
    total = 0
    for i in range(n):
        total += mat[i][i]
        if i != n - 1 - i:
            total += mat[i][n - 1 - i]
    return total

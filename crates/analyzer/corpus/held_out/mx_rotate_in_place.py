# expect time: O(n^2); space: O(1); why: transpose and reverse each row, touching every cell a constant number of times in place
def rotate(matrix):
    n = len(matrix)
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i][j], matrix[j][i] = matrix[j][i], matrix[i][j]
    for row in matrix:
        row.reverse()

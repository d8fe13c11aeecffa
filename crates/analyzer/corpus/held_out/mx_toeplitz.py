# expect time: O(n^2); space: O(1); why: every cell off the first row and column is compared once with its upper-left neighbour
# expect-multi time: O(n*m); space: O(1)
def is_toeplitz(matrix):
    for r in range(1, len(matrix)):
        for c in range(1, len(matrix[0])):
            if matrix[r][c] != matrix[r - 1][c - 1]:
                return False
    return True

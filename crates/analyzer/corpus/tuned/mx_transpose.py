# expect time: O(n^2); space: O(n^2); why: a new m x n matrix, one element copied per cell
# expect-multi time: O(n*m); space: O(n*m)
def transpose(matrix):
    return [[matrix[r][c] for r in range(len(matrix))] for c in range(len(matrix[0]))]

# expect time: O(n); space: O(1); why: each step drops a row or a column
# expect-multi time: O(n+m)
def search_matrix(matrix, target):
    if not matrix:
        return False
    r, c = 0, len(matrix[0]) - 1
    while r < len(matrix) and c >= 0:
        v = matrix[r][c]
        if v == target:
            return True
        if v > target:
            c -= 1
        else:
            r += 1
    return False

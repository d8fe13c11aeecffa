# expect time: O(n^2); space: O(n); why: two passes over the cells; the sets hold at most one entry per row and column
# expect-multi time: O(n*m); space: O(n+m)
def set_zeroes(matrix):
    zero_rows, zero_cols = set(), set()
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            if v == 0:
                zero_rows.add(i)
                zero_cols.add(j)
    for i, row in enumerate(matrix):
        for j in range(len(row)):
            if i in zero_rows or j in zero_cols:
                row[j] = 0

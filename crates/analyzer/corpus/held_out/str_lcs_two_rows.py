# expect time: O(n^2); space: O(n); why: the table is filled row by row, keeping only two rows of length m+1
# expect-multi time: O(n*m); space: O(m)
def lcs_length(x, y):
    prev = [0] * (len(y) + 1)
    for i in range(1, len(x) + 1):
        cur = [0] * (len(y) + 1)
        for j in range(1, len(y) + 1):
            if x[i - 1] == y[j - 1]:
                cur[j] = prev[j - 1] + 1
            else:
                cur[j] = max(prev[j], cur[j - 1])
        prev = cur
    return prev[-1]

# expect time: O(n^2); space: O(n^2); why: a full table over all pairs of positions
# expect-multi time: O(n*m); space: O(n*m)
def longest_common_substring(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    best = 0
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
                best = max(best, table[i][j])
    return best

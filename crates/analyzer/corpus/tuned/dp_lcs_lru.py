from functools import lru_cache


# expect time: O(n^2); space: O(n^2); why: one cached state per pair of positions, each computed once in constant time
# expect-multi time: O(n*m); space: O(n*m)
def lcs_length(a, b):
    @lru_cache(maxsize=None)
    def go(i, j):
        if i == len(a) or j == len(b):
            return 0
        if a[i] == b[j]:
            return 1 + go(i + 1, j + 1)
        return max(go(i + 1, j), go(i, j + 1))

    return go(0, 0)

from functools import lru_cache


# expect time: O(n^2); space: O(n^2); why: (i, j) has (n+1)(m+1) states, each computed once from three others
# expect-multi time: O(n*m); space: O(n*m)
def min_distance(word1, word2):
    @lru_cache(maxsize=None)
    def go(i, j):
        if i == len(word1):
            return len(word2) - j
        if j == len(word2):
            return len(word1) - i
        if word1[i] == word2[j]:
            return go(i + 1, j + 1)
        return 1 + min(go(i + 1, j), go(i, j + 1), go(i + 1, j + 1))

    return go(0, 0)

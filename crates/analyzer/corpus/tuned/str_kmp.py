# expect time: O(n); space: O(n); why: the prefix function falls back along already matched prefixes, amortised linear
# expect-multi time: O(n+m); space: O(m)
def kmp_search(text, pattern):
    m = len(pattern)
    fail = [0] * m
    k = 0
    for i in range(1, m):
        while k > 0 and pattern[i] != pattern[k]:
            k = fail[k - 1]
        if pattern[i] == pattern[k]:
            k += 1
        fail[i] = k
    hits = 0
    k = 0
    for ch in text:
        while k > 0 and ch != pattern[k]:
            k = fail[k - 1]
        if ch == pattern[k]:
            k += 1
        if k == m:
            hits += 1
            k = fail[k - 1]
    return hits

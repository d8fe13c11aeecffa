# expect time: O(n^3); space: O(n); why: n^2 (start, end) pairs, and each slice s[j:i] copies up to n characters
def word_break(s, words):
    vocab = set(words)
    ok = [False] * (len(s) + 1)
    ok[0] = True
    for i in range(1, len(s) + 1):
        for j in range(i):
            if ok[j] and s[j:i] in vocab:
                ok[i] = True
                break
    return ok[len(s)]

# expect time: O(n^2); space: O(n); why: each of up to m positions is checked in all n words, copying words[1:] each time; the copy is n long and the prefix up to m
# expect-multi time: O(n*m); space: O(n+m)
def longest_common_prefix(words):
    if not words:
        return ""
    first = words[0]
    for i in range(len(first)):
        for w in words[1:]:
            if i >= len(w) or w[i] != first[i]:
                return first[:i]
    return first

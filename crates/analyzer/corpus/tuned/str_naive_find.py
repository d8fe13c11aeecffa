# expect time: O(n^2); space: O(1); why: at every start the pattern is compared character by character
# expect-multi time: O(n*m)
def find_all(text, pat):
    hits = 0
    for i in range(len(text) - len(pat) + 1):
        j = 0
        while j < len(pat) and text[i + j] == pat[j]:
            j += 1
        if j == len(pat):
            hits += 1
    return hits

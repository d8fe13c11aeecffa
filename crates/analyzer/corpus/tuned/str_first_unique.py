from collections import Counter


# expect time: O(n); space: O(1); why: one counting pass and one scan; the counter holds at most the 26 lowercase letters
def first_unique_index(s):
    counts = Counter(s)
    for i, ch in enumerate(s):
        if counts[ch] == 1:
            return i
    return -1

# expect time: O(n^3); space: O(n^3); why: all n(n+1)/2 slices are copied and hashed at up to n characters each, and the set can keep them all
def count_distinct_substrings(s):
    seen = set()
    for i in range(len(s)):
        for j in range(i + 1, len(s) + 1):
            seen.add(s[i:j])
    return len(seen)

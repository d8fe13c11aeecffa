from collections import defaultdict


# expect time: O(n^2 log n); space: O(n^2); why: n words of length up to n are each sorted, and the groups keep every sorted key and word
# expect-multi time: O(n*k log k); space: O(n*k)
def group_anagrams(words):
    groups = defaultdict(list)
    for w in words:
        key = "".join(sorted(w))
        groups[key].append(w)
    return list(groups.values())

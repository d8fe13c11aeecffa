from collections import Counter


# expect time: O(n); space: O(n); why: two counters over up to n distinct numbers
def same_multiset(a, b):
    if len(a) != len(b):
        return False
    return Counter(a) == Counter(b)

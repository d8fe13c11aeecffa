import bisect


# expect time: O(n^2); space: O(n); why: insort does a log n search but shifts up to n elements on each of n inserts
def count_inversions(a):
    seen = []
    inversions = 0
    for x in a:
        pos = bisect.bisect_right(seen, x)
        inversions += len(seen) - pos
        bisect.insort(seen, x)
    return inversions

from itertools import pairwise


# expect time: O(n); space: O(1); why: pairwise yields neighbours lazily in one pass
def max_gap(sorted_values):
    best = 0
    for a, b in pairwise(sorted_values):
        best = max(best, b - a)
    return best

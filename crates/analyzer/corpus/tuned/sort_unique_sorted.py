# expect time: O(n log n); space: O(n); why: one sorted copy of n values and an output list of at most n of them
def sorted_unique(values):
    ordered = sorted(values)
    result = []
    for v in ordered:
        if not result or result[-1] != v:
            result.append(v)
    return result

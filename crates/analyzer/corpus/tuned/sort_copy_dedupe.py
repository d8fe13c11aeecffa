# expect time: O(n log n); space: O(n); why: a sorted copy plus an output list of at most n distinct values
def sorted_unique(values):
    ordered = sorted(values)
    out = []
    for v in ordered:
        if not out or out[-1] != v:
            out.append(v)
    return out

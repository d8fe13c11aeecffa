# expect time: O(n); space: O(n); why: one pass with a set of seen values
def duplicates(values):
    seen = set()
    dups = []
    for v in values:
        if v in seen:
            dups.append(v)
        else:
            seen.add(v)
    return dups

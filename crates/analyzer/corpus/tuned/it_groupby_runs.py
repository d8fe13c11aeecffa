from itertools import groupby


# expect time: O(n); space: O(n); why: groupby walks the sequence once; one pair per run is kept
def runs(seq):
    return [(key, len(list(group))) for key, group in groupby(seq)]

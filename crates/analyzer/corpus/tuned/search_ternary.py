# expect time: O(log n); space: O(1); why: each step drops a third of a unimodal range
def argmax_unimodal(a):
    lo, hi = 0, len(a) - 1
    while hi - lo > 2:
        m1 = lo + (hi - lo) // 3
        m2 = hi - (hi - lo) // 3
        if a[m1] < a[m2]:
            lo = m1 + 1
        else:
            hi = m2 - 1
    best = lo
    for i in range(lo, hi + 1):
        if a[i] > a[best]:
            best = i
    return best

import random


# expect time: O(n); space: O(1); why: a random pivot discards a constant fraction in expectation, so n + n/2 + ... partitioning work, all in place
def kth_smallest(a, k):
    lo, hi = 0, len(a) - 1
    while True:
        if lo == hi:
            return a[lo]
        p = random.randint(lo, hi)
        a[p], a[hi] = a[hi], a[p]
        store = lo
        for i in range(lo, hi):
            if a[i] < a[hi]:
                a[i], a[store] = a[store], a[i]
                store += 1
        a[store], a[hi] = a[hi], a[store]
        if k == store:
            return a[store]
        if k < store:
            hi = store - 1
        else:
            lo = store + 1

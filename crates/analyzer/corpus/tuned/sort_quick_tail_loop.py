import random


def partition(a, lo, hi):
    k = random.randint(lo, hi)
    a[k], a[hi] = a[hi], a[k]
    pivot = a[hi]
    store = lo
    for i in range(lo, hi):
        if a[i] <= pivot:
            a[i], a[store] = a[store], a[i]
            store += 1
    a[store], a[hi] = a[hi], a[store]
    return store


# expect time: O(n log n); space: O(log n); why: random pivots split evenly in expectation; recursing only on the smaller side keeps the stack at log n
def quick_sort(a, lo=0, hi=None):
    if hi is None:
        hi = len(a) - 1
    while lo < hi:
        p = partition(a, lo, hi)
        if p - lo < hi - p:
            quick_sort(a, lo, p - 1)
            lo = p + 1
        else:
            quick_sort(a, p + 1, hi)
            hi = p - 1
    return a

import random


# expect time: O(n log n); space: O(log n); why: a random pivot gives expected n log n, and recursing only on the smaller side keeps the stack log n deep
def quicksort(a, lo=0, hi=None):
    if hi is None:
        hi = len(a) - 1
    while lo < hi:
        r = random.randint(lo, hi)
        a[r], a[hi] = a[hi], a[r]
        pivot = a[hi]
        i = lo
        for j in range(lo, hi):
            if a[j] <= pivot:
                a[i], a[j] = a[j], a[i]
                i += 1
        a[i], a[hi] = a[hi], a[i]
        if i - lo < hi - i:
            quicksort(a, lo, i - 1)
            lo = i + 1
        else:
            quicksort(a, i + 1, hi)
            hi = i - 1
    return a

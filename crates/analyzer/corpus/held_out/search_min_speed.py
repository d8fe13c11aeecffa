import math


def hours_needed(piles, speed):
    return sum(math.ceil(p / speed) for p in piles)


# expect time: O(n log n); space: O(1); why: binary search over speeds up to the largest pile, each step sums over the n piles
def min_eating_speed(piles, h):
    lo, hi = 1, max(piles)
    while lo < hi:
        mid = (lo + hi) // 2
        if hours_needed(piles, mid) <= h:
            hi = mid
        else:
            lo = mid + 1
    return lo

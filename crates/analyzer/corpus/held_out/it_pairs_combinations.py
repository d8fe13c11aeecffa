from itertools import combinations


# expect time: O(n^2); space: O(1); why: combinations(a, 2) yields n(n-1)/2 pairs lazily
def count_close_pairs(points, limit):
    count = 0
    for p, q in combinations(points, 2):
        if abs(p - q) <= limit:
            count += 1
    return count

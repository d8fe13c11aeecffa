from collections import Counter


# expect time: O(n log n); space: O(n); why: counting is linear, then the distinct values are sorted by count
def by_frequency(nums):
    counts = Counter(nums)
    order = sorted(counts, key=lambda x: (-counts[x], x))
    out = []
    for x in order:
        out.extend([x] * counts[x])
    return out

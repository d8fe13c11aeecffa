# expect time: O(n); space: O(n); why: both window ends only move right, and the dict holds up to n distinct values
def longest_distinct_run(nums):
    last = {}
    start = 0
    best = 0
    for i, x in enumerate(nums):
        if x in last and last[x] >= start:
            start = last[x] + 1
        last[x] = i
        best = max(best, i - start + 1)
    return best

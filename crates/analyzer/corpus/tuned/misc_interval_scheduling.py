# expect time: O(n log n); space: O(n); why: sorting a copy of the intervals by end dominates the single greedy pass
def max_non_overlapping(intervals):
    chosen = 0
    end = float("-inf")
    for s, e in sorted(intervals, key=lambda iv: iv[1]):
        if s >= end:
            chosen += 1
            end = e
    return chosen

from collections import defaultdict


# expect time: O(n); space: O(n); why: one pass, with a dictionary of up to n prefix sums
def subarrays_with_sum(nums, k):
    seen = defaultdict(int)
    seen[0] = 1
    total = 0
    count = 0
    for x in nums:
        total += x
        count += seen[total - k]
        seen[total] += 1
    return count

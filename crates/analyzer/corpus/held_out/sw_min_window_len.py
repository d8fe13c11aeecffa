# expect time: O(n); space: O(1); why: the left end never moves back, so the inner loop is amortised over the scan
def min_subarray_len(target, nums):
    left = 0
    total = 0
    best = float("inf")
    for right in range(len(nums)):
        total += nums[right]
        while total >= target:
            best = min(best, right - left + 1)
            total -= nums[left]
            left += 1
    return 0 if best == float("inf") else best

# expect time: O(n); space: O(1); why: the window sum is updated by one addition and one subtraction per step
def max_window_sum(nums, k):
    window = sum(nums[:k])
    best = window
    for i in range(k, len(nums)):
        window += nums[i] - nums[i - k]
        best = max(best, window)
    return best

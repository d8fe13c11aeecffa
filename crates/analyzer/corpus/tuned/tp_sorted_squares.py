# expect time: O(n); space: O(n); why: two pointers move inward once over the sorted list, filling the output from the back
def sorted_squares(nums):
    n = len(nums)
    out = [0] * n
    lo, hi = 0, n - 1
    pos = n - 1
    while lo <= hi:
        if abs(nums[lo]) > abs(nums[hi]):
            out[pos] = nums[lo] * nums[lo]
            lo += 1
        else:
            out[pos] = nums[hi] * nums[hi]
            hi -= 1
        pos -= 1
    return out

# expect time: O(2^n); space: O(2^n); why: n steps for each of 2^n masks, and every subset sum is kept
def all_subset_sums(nums):
    n = len(nums)
    sums = []
    for mask in range(1 << n):
        s = 0
        for i in range(n):
            if mask >> i & 1:
                s += nums[i]
        sums.append(s)
    return sums

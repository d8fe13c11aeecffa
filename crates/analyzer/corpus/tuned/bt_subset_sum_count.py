# expect time: O(2^n); space: O(n); why: every element is either taken or skipped, two calls per level, recursion n deep
def count_subsets(nums, target, i=0):
    if i == len(nums):
        return 1 if target == 0 else 0
    return count_subsets(nums, target - nums[i], i + 1) + count_subsets(nums, target, i + 1)

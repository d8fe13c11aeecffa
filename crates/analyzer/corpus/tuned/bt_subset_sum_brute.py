# expect time: O(2^n); space: O(n); why: each element is either taken or not, two calls per level, n deep
def has_subset_sum(nums, target, i=0):
    if target == 0:
        return True
    if i == len(nums):
        return False
    return has_subset_sum(nums, target - nums[i], i + 1) or has_subset_sum(nums, target, i + 1)

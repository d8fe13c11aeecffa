# expect time: O(n); space: O(n); why: one pass with a dict from value to index
def two_sum(nums, target):
    index = {}
    for i, x in enumerate(nums):
        if target - x in index:
            return index[target - x], i
        index[x] = i
    return None

from itertools import accumulate


# expect time: O(n); space: O(n); why: one running sum per element, kept in a list
def prefix_totals(nums):
    return list(accumulate(nums))

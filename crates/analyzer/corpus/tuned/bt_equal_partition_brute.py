# expect time: O(2^n); space: O(n); why: every element goes to one side or the other, recursion n deep
def can_split_evenly(nums):
    def go(i, left, right):
        if i == len(nums):
            return left == right
        return go(i + 1, left + nums[i], right) or go(i + 1, left, right + nums[i])

    return go(0, 0, 0)

from functools import lru_cache


# expect time: O(n^3); space: O(n^2); why: n^2 cached (left, right) intervals, each trying every balloon inside as the last one burst
def max_coins(nums):
    vals = [1] + list(nums) + [1]

    @lru_cache(maxsize=None)
    def best(left, right):
        if left + 1 >= right:
            return 0
        result = 0
        for k in range(left + 1, right):
            gain = vals[left] * vals[k] * vals[right] + best(left, k) + best(k, right)
            if gain > result:
                result = gain
        return result

    return best(0, len(vals) - 1)

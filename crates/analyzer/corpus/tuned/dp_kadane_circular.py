# expect time: O(n); space: O(1); why: one pass keeps the best and worst running sums and the total
def max_circular_subarray(nums):
    total = 0
    cur_max = cur_min = 0
    best_max = nums[0]
    best_min = nums[0]
    for x in nums:
        cur_max = max(cur_max + x, x)
        best_max = max(best_max, cur_max)
        cur_min = min(cur_min + x, x)
        best_min = min(best_min, cur_min)
        total += x
    if best_max < 0:
        return best_max
    return max(best_max, total - best_min)

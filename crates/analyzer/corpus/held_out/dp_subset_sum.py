# expect time: O(n^2); space: O(n); why: each number sweeps a boolean row over the targets up to the sum
# expect-multi time: O(n*S); space: O(S)
def can_reach(nums, target):
    reach = [False] * (target + 1)
    reach[0] = True
    for x in nums:
        for t in range(target, x - 1, -1):
            if reach[t - x]:
                reach[t] = True
    return reach[target]

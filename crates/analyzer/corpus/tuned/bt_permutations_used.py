# expect time: O(n!); space: O(n!); why: all n! orderings are built and kept
def permutations(nums):
    res = []
    used = [False] * len(nums)
    cur = []

    def dfs():
        if len(cur) == len(nums):
            res.append(list(cur))
            return
        for i in range(len(nums)):
            if not used[i]:
                used[i] = True
                cur.append(nums[i])
                dfs()
                cur.pop()
                used[i] = False

    dfs()
    return res

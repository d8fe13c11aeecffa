from collections import deque


# expect time: O(n); space: O(n); why: each index enters and leaves the deque once; it holds at most k indices and the output n
# expect-multi space: O(n)
def sliding_max(nums, k):
    dq = deque()
    out = []
    for i, x in enumerate(nums):
        while dq and nums[dq[-1]] <= x:
            dq.pop()
        dq.append(i)
        if dq[0] <= i - k:
            dq.popleft()
        if i >= k - 1:
            out.append(nums[dq[0]])
    return out

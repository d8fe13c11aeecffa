import bisect


# expect time: O(n log n); space: O(n); why: one binary search per element into the tails list
def lis_length(nums):
    tails = []
    for x in nums:
        i = bisect.bisect_left(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)

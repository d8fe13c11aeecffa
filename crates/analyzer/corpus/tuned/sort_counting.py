# expect time: O(n); space: O(n); why: one pass to count, one over the value range, which grows with n
# expect-multi time: O(n+k); space: O(n+k)
def counting_sort(nums):
    if not nums:
        return []
    k = max(nums)
    count = [0] * (k + 1)
    for x in nums:
        count[x] += 1
    out = []
    for value in range(k + 1):
        out.extend([value] * count[value])
    return out

# expect time: O(n log n); space: O(n); why: one bucket pass per decimal digit of the largest value, which has log n digits; the buckets hold all n numbers
def radix_sort(nums):
    if not nums:
        return nums
    largest = max(nums)
    exp = 1
    while largest // exp > 0:
        buckets = [[] for _ in range(10)]
        for x in nums:
            buckets[(x // exp) % 10].append(x)
        nums = [x for bucket in buckets for x in bucket]
        exp *= 10
    return nums

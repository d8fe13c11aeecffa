# expect time: O(n log n); space: O(n); why: a sorted copy, then a binary search over distances up to the largest value, each probe counting pairs with two forward-only pointers in linear time
def smallest_distance_pair(nums, k):
    a = sorted(nums)
    n = len(a)

    def pairs_within(d):
        count = left = 0
        for right in range(n):
            while a[right] - a[left] > d:
                left += 1
            count += right - left
        return count

    lo, hi = 0, a[-1] - a[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs_within(mid) >= k:
            hi = mid
        else:
            lo = mid + 1
    return lo

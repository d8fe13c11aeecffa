# expect time: O(n log n); space: O(n); why: sorting a copy dominates; the two pointers then only move forward
def count_pairs_with_diff(nums, k):
    a = sorted(nums)
    i, j = 0, 1
    count = 0
    while j < len(a):
        diff = a[j] - a[i]
        if diff == k:
            count += 1
            i += 1
            j += 1
        elif diff < k:
            j += 1
        else:
            i += 1
            if i == j:
                j += 1
    return count

# expect time: O(log n); space: O(1); why: the bound doubles until it passes the target, then a binary search
def exponential_search(arr, x):
    if not arr:
        return -1
    bound = 1
    while bound < len(arr) and arr[bound] < x:
        bound *= 2
    lo, hi = bound // 2, min(bound, len(arr) - 1)
    while lo <= hi:
        mid = (lo + hi) // 2
        if arr[mid] == x:
            return mid
        if arr[mid] < x:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1

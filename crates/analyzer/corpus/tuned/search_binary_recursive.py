# expect time: O(log n); space: O(log n); why: each call halves the range, the recursion is log n deep
def search(arr, target, lo, hi):
    if lo > hi:
        return -1
    mid = (lo + hi) // 2
    if arr[mid] == target:
        return mid
    if arr[mid] < target:
        return search(arr, target, mid + 1, hi)
    return search(arr, target, lo, mid - 1)

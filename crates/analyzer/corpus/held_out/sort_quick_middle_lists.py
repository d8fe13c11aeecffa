# expect time: O(n^2); space: O(n^2); why: the middle element is a fixed pivot that can be the smallest on every call, so n levels of linear partitions, and the new lists of every level stay alive down the recursion, n + (n-1) + ... elements
def quick_sort(items):
    if len(items) <= 1:
        return items
    pivot = items[len(items) // 2]
    less = [x for x in items if x < pivot]
    equal = [x for x in items if x == pivot]
    greater = [x for x in items if x > pivot]
    return quick_sort(less) + equal + quick_sort(greater)

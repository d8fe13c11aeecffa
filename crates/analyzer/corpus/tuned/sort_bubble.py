"""Bubble sort that stops early when a pass makes no swap."""


# expect time: O(n^2); space: O(1); why: up to n passes over the unsorted prefix, swapping in place
def bubble_sort(a):
    n = len(a)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
                swapped = True
        if not swapped:
            break
    return a

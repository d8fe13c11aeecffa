def sink(arr, i, size):
    while 2 * i + 1 < size:
        j = 2 * i + 1
        if j + 1 < size and arr[j + 1] > arr[j]:
            j += 1
        if arr[i] >= arr[j]:
            break
        arr[i], arr[j] = arr[j], arr[i]
        i = j


# expect time: O(n log n); space: O(1); why: build the heap bottom up, then n swaps each followed by one sink along a log n path
def heapsort(arr):
    size = len(arr)
    for i in range(size // 2 - 1, -1, -1):
        sink(arr, i, size)
    for last in range(size - 1, 0, -1):
        arr[0], arr[last] = arr[last], arr[0]
        sink(arr, 0, last)

# expect time: O(n^2); space: O(1); why: for each position the minimum of the rest is found by a linear scan
def selection_sort(values):
    n = len(values)
    for i in range(n - 1):
        smallest = i
        for j in range(i + 1, n):
            if values[j] < values[smallest]:
                smallest = j
        values[i], values[smallest] = values[smallest], values[i]
    return values

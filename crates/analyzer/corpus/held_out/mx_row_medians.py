# expect time: O(n^2 log n); space: O(n); why: each of n rows of n values is sorted into a fresh copy at n log n per row; one copy is alive at a time besides the n medians
# expect-multi time: O(n*m log m); space: O(n+m)
def row_medians(grid):
    medians = []
    for row in grid:
        ordered = sorted(row)
        mid = len(ordered) // 2
        if len(ordered) % 2:
            medians.append(ordered[mid])
        else:
            medians.append((ordered[mid - 1] + ordered[mid]) / 2)
    return medians

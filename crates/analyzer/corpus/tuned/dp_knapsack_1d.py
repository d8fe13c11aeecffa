# expect time: O(n^2); space: O(n); why: each item sweeps the capacities downwards over one row
# expect-multi time: O(n*W); space: O(W)
def knapsack(items, capacity):
    best = [0] * (capacity + 1)
    for weight, value in items:
        for c in range(capacity, weight - 1, -1):
            best[c] = max(best[c], best[c - weight] + value)
    return best[capacity]

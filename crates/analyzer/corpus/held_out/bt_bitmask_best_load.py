# expect time: O(2^n); space: O(1); why: each of the 2^n masks sums its chosen weights in n steps, and only the best total is kept
def best_load(weights, capacity):
    n = len(weights)
    best = 0
    for mask in range(1 << n):
        total = 0
        for i in range(n):
            if mask >> i & 1:
                total += weights[i]
        if total <= capacity and total > best:
            best = total
    return best

# expect time: O(n^2); space: O(n); why: each length tries every first cut
def cut_rod(prices, n):
    best = [0] * (n + 1)
    for length in range(1, n + 1):
        for cut in range(1, min(length, len(prices)) + 1):
            best[length] = max(best[length], prices[cut - 1] + best[length - cut])
    return best[n]

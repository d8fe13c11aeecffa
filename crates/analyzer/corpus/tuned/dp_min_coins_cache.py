from functools import lru_cache


# expect time: O(n^2); space: O(n); why: one state per amount up to the target, each trying every coin; the cache and the recursion depth grow with the amount
def min_coins(coins, amount):
    @lru_cache(maxsize=None)
    def best(rest):
        if rest == 0:
            return 0
        result = float("inf")
        for c in coins:
            if c <= rest:
                result = min(result, best(rest - c) + 1)
        return result

    answer = best(amount)
    return -1 if answer == float("inf") else answer

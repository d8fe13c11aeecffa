from itertools import accumulate


# expect time: O(n); space: O(1); why: zip and accumulate are lazy, so one pass pairs each price with the running minimum so far
def max_profit(prices):
    if not prices:
        return 0
    return max(p - low for p, low in zip(prices, accumulate(prices, min)))

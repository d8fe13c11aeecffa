# expect time: O(n^2); space: O(n); why: for every amount up to n every coin is tried; the table is one row
# expect-multi time: O(n*m); space: O(n)
def min_coins(coins, amount):
    INF = float("inf")
    dp = [0] + [INF] * amount
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a and dp[a - c] + 1 < dp[a]:
                dp[a] = dp[a - c] + 1
    return -1 if dp[amount] == INF else dp[amount]

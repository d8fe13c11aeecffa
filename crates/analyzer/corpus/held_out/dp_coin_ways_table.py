# expect time: O(n^2); space: O(n^2); why: a full table of coins by amounts, each cell filled in constant time
# expect-multi time: O(n*m); space: O(n*m)
def count_ways(coins, amount):
    k = len(coins)
    table = [[0] * (amount + 1) for _ in range(k + 1)]
    for i in range(k + 1):
        table[i][0] = 1
    for i in range(1, k + 1):
        c = coins[i - 1]
        for s in range(1, amount + 1):
            table[i][s] = table[i - 1][s]
            if s >= c:
                table[i][s] += table[i][s - c]
    return table[k][amount]

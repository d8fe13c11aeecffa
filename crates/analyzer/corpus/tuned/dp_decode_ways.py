# expect time: O(n); space: O(n); why: one pass filling a table of n+1 counts
def num_decodings(s):
    n = len(s)
    dp = [0] * (n + 1)
    dp[0] = 1
    for i in range(1, n + 1):
        if s[i - 1] != "0":
            dp[i] += dp[i - 1]
        if i > 1 and "10" <= s[i - 2:i] <= "26":
            dp[i] += dp[i - 2]
    return dp[n]

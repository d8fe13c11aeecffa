# expect time: O(log n); space: O(log n); why: each call halves the exponent, so the recursion is log n deep with constant work per level
def power_mod(x, n, m):
    if n == 0:
        return 1 % m
    half = power_mod(x, n // 2, m)
    result = half * half % m
    if n % 2 == 1:
        result = result * x % m
    return result

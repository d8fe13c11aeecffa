# expect time: O(log n); space: O(1); why: starting from n, Newton's step halves x until it is near the root, then converges quadratically
def isqrt(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x

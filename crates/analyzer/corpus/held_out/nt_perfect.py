# expect time: O(sqrt n); space: O(1); why: divisors are summed in pairs up to the square root
def is_perfect(n):
    if n < 2:
        return False
    total = 1
    d = 2
    while d * d <= n:
        if n % d == 0:
            total += d
            if d != n // d:
                total += n // d
        d += 1
    return total == n

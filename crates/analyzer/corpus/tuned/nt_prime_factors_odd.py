# expect time: O(sqrt n); space: O(log n); why: candidates run up to the square root of what is left, and each division shrinks the number, at most log n factors kept
def prime_factors(n):
    factors = []
    while n % 2 == 0:
        factors.append(2)
        n //= 2
    p = 3
    while p * p <= n:
        while n % p == 0:
            factors.append(p)
            n = n // p
        p += 2
    if n > 1:
        factors.append(n)
    return factors

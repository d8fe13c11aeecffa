# expect time: O(sqrt n); space: O(log n); why: divisors are tried while d*d <= n and n only shrinks, so at most sqrt n candidates; n has at most log n prime factors
def prime_factors(n):
    factors = []
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors.append(d)
            n //= d
        d += 1
    if n > 1:
        factors.append(n)
    return factors

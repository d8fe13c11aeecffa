import math


def is_prime(k):
    if k < 2:
        return False
    for d in range(2, math.isqrt(k) + 1):
        if k % d == 0:
            return False
    return True


# expect time: O(n sqrt n); space: O(1); why: a trial division up to sqrt k for each k below n
def sum_primes_below(n):
    return sum(k for k in range(n) if is_prime(k))

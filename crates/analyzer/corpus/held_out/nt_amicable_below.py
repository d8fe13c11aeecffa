def divisor_sum(k):
    if k < 2:
        return 0
    total = 1
    d = 2
    while d * d <= k:
        if k % d == 0:
            total += d
            if d != k // d:
                total += k // d
        d += 1
    return total


# expect time: O(n sqrt n); space: O(n); why: each k below the limit sums its divisors by trial division up to sqrt k, and the n sums are kept in a list
def amicable_sum(limit):
    sums = [divisor_sum(k) for k in range(limit)]
    total = 0
    for a in range(2, limit):
        b = sums[a]
        if b != a and b < limit and sums[b] == a:
            total += a
    return total

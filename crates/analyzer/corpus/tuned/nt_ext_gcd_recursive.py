# expect time: O(log n); space: O(log n); why: Euclid's recursion is logarithmically deep
def extended_gcd(a, b):
    if b == 0:
        return a, 1, 0
    g, x, y = extended_gcd(b, a % b)
    return g, y, x - (a // b) * y

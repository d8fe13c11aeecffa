# expect time: O(log n); space: O(1); why: Euclid's remainders at least halve every two steps
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a

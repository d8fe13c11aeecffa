import math


# expect time: O(sqrt n); space: O(1); why: a starts at 0 and b at the square root of n, and every step moves one of them towards the other
def sum_of_two_squares(n):
    a, b = 0, math.isqrt(n)
    while a <= b:
        s = a * a + b * b
        if s == n:
            return a, b
        if s < n:
            a += 1
        else:
            b -= 1
    return None

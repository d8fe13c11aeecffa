# expect time: O(sqrt n); space: O(1); why: odd candidates stop at the square root, and a prime n tries them all
def smallest_factor(n):
    if n % 2 == 0:
        return 2
    f = 3
    while f * f <= n:
        if n % f == 0:
            return f
        f += 2
    return n

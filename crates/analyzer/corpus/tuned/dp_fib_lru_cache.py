from functools import lru_cache


# expect time: O(n); space: O(n); why: the cache computes each of n values once and holds them all
@lru_cache(maxsize=None)
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

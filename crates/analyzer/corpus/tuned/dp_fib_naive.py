# expect time: O(2^n); space: O(n); why: two calls per level on n-1 and n-2, and the call stack is n deep
def fib(n):
    if n <= 1:
        return n
    return fib(n - 1) + fib(n - 2)

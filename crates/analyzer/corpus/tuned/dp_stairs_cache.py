from functools import cache


# expect time: O(n); space: O(n); why: n cached states, each summing two earlier ones
@cache
def ways(n):
    if n <= 1:
        return 1
    return ways(n - 1) + ways(n - 2)

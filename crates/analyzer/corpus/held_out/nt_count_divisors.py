# expect time: O(sqrt n); space: O(1); why: divisors pair up around the square root
def count_divisors(n):
    count = 0
    i = 1
    while i * i <= n:
        if n % i == 0:
            count += 1 if i * i == n else 2
        i += 1
    return count

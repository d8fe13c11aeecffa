# expect time: O(log n); space: O(1); why: the first digit sum reads the log n digits and leaves a number of about log n, so the later rounds add less than the first
def digital_root(n):
    while n >= 10:
        total = 0
        while n > 0:
            total += n % 10
            n //= 10
        n = total
    return n

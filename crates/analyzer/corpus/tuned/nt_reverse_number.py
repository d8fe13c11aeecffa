# expect time: O(log n); space: O(1); why: one step per decimal digit of n
def reverse_number(n):
    rev = 0
    while n > 0:
        rev = rev * 10 + n % 10
        n //= 10
    return rev

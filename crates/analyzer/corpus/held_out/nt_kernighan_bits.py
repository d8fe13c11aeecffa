# expect time: O(log n); space: O(1); why: each step clears the lowest set bit, and n has at most log n bits
def count_set_bits(n):
    count = 0
    while n:
        n &= n - 1
        count += 1
    return count

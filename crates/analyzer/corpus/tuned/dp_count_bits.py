# expect time: O(n); space: O(n); why: each count reuses the count of the number shifted right by one bit
def count_bits(n):
    bits = [0] * (n + 1)
    for i in range(1, n + 1):
        bits[i] = bits[i >> 1] + (i & 1)
    return bits

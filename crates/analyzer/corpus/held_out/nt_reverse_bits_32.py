# expect time: O(1); space: O(1); why: exactly 32 shift steps whatever the value, keeping two integers
def reverse_bits(x):
    result = 0
    for _ in range(32):
        result = (result << 1) | (x & 1)
        x >>= 1
    return result

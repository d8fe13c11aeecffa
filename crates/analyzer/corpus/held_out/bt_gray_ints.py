# expect time: O(2^n); space: O(2^n); why: every bit doubles the sequence by appending its mirror image with that bit set
def gray_sequence(bits):
    seq = [0]
    for b in range(bits):
        mirror = []
        for x in reversed(seq):
            mirror.append(x | (1 << b))
        seq = seq + mirror
    return seq

# expect time: O(log n); space: O(log n); why: one digit per division by the base, all kept
def to_base(n, base):
    if n == 0:
        return [0]
    digits = []
    while n:
        n, r = divmod(n, base)
        digits.append(r)
    digits.reverse()
    return digits

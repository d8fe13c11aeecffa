# expect time: O(log n); space: O(log n); why: n is halved until zero, one digit appended per step, then one reversed copy
def to_binary(n):
    if n == 0:
        return "0"
    digits = ""
    while n > 0:
        digits += str(n % 2)
        n //= 2
    return digits[::-1]

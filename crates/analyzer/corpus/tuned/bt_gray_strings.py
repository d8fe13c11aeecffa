# expect time: O(2^n); space: O(2^n); why: each of n rounds doubles the list of codes by reflecting it and prefixing 0s and 1s
def gray_codes(n):
    codes = [""]
    for _ in range(n):
        first = ["0" + c for c in codes]
        second = ["1" + c for c in reversed(codes)]
        codes = first + second
    return codes

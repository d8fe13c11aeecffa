# expect time: O(2^n); space: O(2^n); why: the list of codes doubles on every one of n rounds by reflecting and prefixing
def gray_codes(n):
    codes = [""]
    for _ in range(n):
        codes = ["0" + c for c in codes] + ["1" + c for c in reversed(codes)]
    return codes

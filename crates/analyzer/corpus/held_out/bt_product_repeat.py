from itertools import product


# expect time: O(2^n); space: O(n); why: product over n binary choices yields 2^n tuples of length n, one at a time
def count_balanced_signs(nums):
    count = 0
    for signs in product((1, -1), repeat=len(nums)):
        if sum(s * x for s, x in zip(signs, nums)) == 0:
            count += 1
    return count

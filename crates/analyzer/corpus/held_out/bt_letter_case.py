# expect time: O(2^n); space: O(2^n); why: each letter doubles the list of variants, and all of them are kept
def letter_case_permutations(s):
    results = [""]
    for ch in s:
        if ch.isalpha():
            results = [r + ch.lower() for r in results] + [r + ch.upper() for r in results]
        else:
            results = [r + ch for r in results]
    return results

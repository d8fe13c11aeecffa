# expect time: O(n^2); space: O(n); why: each of 2n centres expands up to n, and one slice of the answer is returned
def longest_palindrome(s):
    best_lo, best_hi = 0, 0
    for centre in range(2 * len(s) - 1):
        lo = centre // 2
        hi = lo + centre % 2
        while lo >= 0 and hi < len(s) and s[lo] == s[hi]:
            lo -= 1
            hi += 1
        if hi - lo - 1 > best_hi - best_lo:
            best_lo, best_hi = lo + 1, hi
    return s[best_lo:best_hi]

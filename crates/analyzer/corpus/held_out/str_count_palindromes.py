# expect time: O(n^2); space: O(1); why: expand around each of 2n-1 centres, up to n steps each
def count_palindromic_substrings(s):
    n = len(s)
    count = 0
    for c in range(2 * n - 1):
        left = c // 2
        right = left + c % 2
        while left >= 0 and right < n and s[left] == s[right]:
            count += 1
            left -= 1
            right += 1
    return count

# expect time: O(n^2); space: O(n); why: a sorted copy, then a two-pointer scan for each first element
def count_zero_triples(nums):
    a = sorted(nums)
    n = len(a)
    count = 0
    for i in range(n - 2):
        if i > 0 and a[i] == a[i - 1]:
            continue
        lo, hi = i + 1, n - 1
        while lo < hi:
            s = a[i] + a[lo] + a[hi]
            if s == 0:
                count += 1
                lo += 1
                while lo < hi and a[lo] == a[lo - 1]:
                    lo += 1
                hi -= 1
            elif s < 0:
                lo += 1
            else:
                hi -= 1
    return count

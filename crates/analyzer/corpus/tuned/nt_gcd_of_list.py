import math


# expect time: O(n log n); space: O(1); why: n gcd steps, each taking a logarithmic number of divisions in the values
def gcd_all(nums):
    g = 0
    for x in nums:
        g = math.gcd(g, x)
        if g == 1:
            break
    return g

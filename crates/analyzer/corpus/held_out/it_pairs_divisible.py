from itertools import combinations


# expect time: O(n^2); space: O(1); why: combinations yields every unordered pair lazily, n^2 / 2 of them
def divisible_pairs(nums, k):
    count = 0
    for a, b in combinations(nums, 2):
        if (a + b) % k == 0:
            count += 1
    return count

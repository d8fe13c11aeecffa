# expect time: O(n^2); space: O(n); why: each position looks back at every earlier one, keeping a best length and a count per position
def count_longest_increasing(nums):
    n = len(nums)
    if n == 0:
        return 0
    length = [1] * n
    count = [1] * n
    for i, x in enumerate(nums):
        for j in range(i):
            if nums[j] < x:
                if length[j] + 1 > length[i]:
                    length[i] = length[j] + 1
                    count[i] = count[j]
                elif length[j] + 1 == length[i]:
                    count[i] += count[j]
    best = max(length)
    return sum(c for l, c in zip(length, count) if l == best)

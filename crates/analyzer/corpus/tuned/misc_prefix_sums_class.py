class RangeSum:
    # expect time: O(n); space: O(n); why: one pass builds a prefix array of n + 1 sums
    def __init__(self, nums):
        self.prefix = [0]
        for x in nums:
            self.prefix.append(self.prefix[-1] + x)

    def query(self, i, j):
        return self.prefix[j + 1] - self.prefix[i]

# expect time: O(n!); space: O(n!); why: swapping each remaining element into the next place builds all n! orderings, and a copy of each is kept
def permute(nums):
    a = list(nums)
    out = []

    def backtrack(first):
        if first == len(a):
            out.append(a[:])
            return
        for i in range(first, len(a)):
            a[first], a[i] = a[i], a[first]
            backtrack(first + 1)
            a[first], a[i] = a[i], a[first]

    backtrack(0)
    return out

from itertools import permutations


# expect time: O(n!); space: O(n); why: all n! orderings are generated lazily and each is checked in n steps; one ordering is alive at a time
def count_alternating(nums):
    count = 0
    for p in permutations(nums):
        ok = True
        for i in range(1, len(p) - 1):
            if not (p[i - 1] < p[i] > p[i + 1] or p[i - 1] > p[i] < p[i + 1]):
                ok = False
                break
        if ok:
            count += 1
    return count

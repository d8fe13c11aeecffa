from itertools import permutations


# expect time: O(n!); space: O(n); why: all n! orderings are generated one at a time; only one tuple is alive
def count_increasing_ends(items):
    count = 0
    for p in permutations(items):
        if p[0] < p[-1]:
            count += 1
    return count

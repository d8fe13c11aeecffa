from itertools import permutations


# expect time: O(n!); space: O(n!); why: all n! orderings of the letters are joined into strings of n characters, and the set keeps every distinct one, n! when the letters differ
def count_unique_anagrams(word):
    return len(set("".join(p) for p in permutations(word)))

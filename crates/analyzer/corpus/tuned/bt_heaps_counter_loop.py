# expect time: O(n!); space: O(n); why: Heap's algorithm produces each of the n! orderings with one swap; only the counters and the working copy are kept
def all_orderings_count(items):
    a = list(items)
    n = len(a)
    counters = [0] * n
    seen = 1
    i = 0
    while i < n:
        if counters[i] < i:
            if i % 2 == 0:
                a[0], a[i] = a[i], a[0]
            else:
                a[counters[i]], a[i] = a[i], a[counters[i]]
            seen += 1
            counters[i] += 1
            i = 0
        else:
            counters[i] = 0
            i += 1
    return seen

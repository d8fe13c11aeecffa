def subsets(items, start=0, chosen=None):
    if chosen is None:
        chosen = []
    yield list(chosen)
    for i in range(start, len(items)):
        chosen.append(items[i])
        yield from subsets(items, i + 1, chosen)
        chosen.pop()


# expect time: O(2^n); space: O(n); why: all 2^n subsets are produced lazily, each copied and summed in up to n steps; one copy and a chain of at most n generators are alive at a time
def count_with_sum(items, target):
    count = 0
    for subset in subsets(items):
        if sum(subset) == target:
            count += 1
    return count

def new_highs(values):
    best = None
    for v in values:
        if best is None or v > best:
            best = v
            yield v


# expect time: O(n); space: O(1); why: the generator walks the values once and hands out one number at a time; only a counter is kept
def record_count(values):
    count = 0
    for _ in new_highs(values):
        count += 1
    return count

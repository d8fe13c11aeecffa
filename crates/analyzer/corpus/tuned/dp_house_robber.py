# expect time: O(n); space: O(1); why: two rolling values
def rob(houses):
    take, skip = 0, 0
    for h in houses:
        take, skip = skip + h, max(take, skip)
    return max(take, skip)

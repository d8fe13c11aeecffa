# expect time: O(n log n); space: O(1); why: binary search over capacities up to sum(weights), a number polynomial in n, with a linear check each time
# expect-multi time: O(n log s)
def ship_within_days(weights, days):
    def can_ship(cap):
        need, load = 1, 0
        for w in weights:
            if load + w > cap:
                need += 1
                load = 0
            load += w
        return need <= days

    lo, hi = max(weights), sum(weights)
    while lo < hi:
        mid = (lo + hi) // 2
        if can_ship(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo

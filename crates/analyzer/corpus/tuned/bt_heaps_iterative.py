# expect time: O(n!); space: O(n); why: Heap's algorithm visits all n! orderings with one swap each; only the counters are extra
def min_cost_order(cost):
    a = list(range(len(cost)))
    n = len(a)

    def route(order):
        return sum(cost[order[i]][order[i + 1]] for i in range(n - 1))

    best = route(a)
    c = [0] * n
    i = 0
    while i < n:
        if c[i] < i:
            if i % 2 == 0:
                a[0], a[i] = a[i], a[0]
            else:
                a[c[i]], a[i] = a[i], a[c[i]]
            best = min(best, route(a))
            c[i] += 1
            i = 0
        else:
            c[i] = 0
            i += 1
    return best

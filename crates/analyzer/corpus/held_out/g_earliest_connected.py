# expect time: O(n log n); space: O(n); why: sorting a copy of the logs dominates; union-find with path halving and union by size is near-constant per log, and the parent and size lists hold n entries
def earliest_all_connected(logs, n):
    parent = list(range(n))
    size = [1] * n

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    groups = n
    for t, a, b in sorted(logs):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if size[ra] < size[rb]:
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += size[rb]
        groups -= 1
        if groups == 1:
            return t
    return -1

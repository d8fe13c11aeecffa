# expect time: O(n); space: O(n); why: each vertex's count is memoised; every edge is followed once
# expect-multi time: O(V+E); space: O(V)
def count_paths(adj, src, dst):
    memo = {}

    def paths(u):
        if u == dst:
            return 1
        if u in memo:
            return memo[u]
        total = 0
        for v in adj[u]:
            total += paths(v)
        memo[u] = total
        return total

    return paths(src)

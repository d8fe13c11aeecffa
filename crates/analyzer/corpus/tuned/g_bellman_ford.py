# expect time: O(n^2); space: O(n); why: V-1 rounds over all E edges, and E grows with n
# expect-multi time: O(V*E); space: O(V)
def bellman_ford(n, edges, src):
    dist = [float("inf")] * n
    dist[src] = 0
    for _ in range(n - 1):
        changed = False
        for u, v, w in edges:
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
                changed = True
        if not changed:
            break
    return dist

# expect time: O(n); space: O(n); why: a DFS topological order, then one relaxation per edge
# expect-multi time: O(V+E); space: O(V)
def dag_shortest(n, adj, src):
    visited = [False] * n
    order = []

    def dfs(u):
        visited[u] = True
        for v, _ in adj[u]:
            if not visited[v]:
                dfs(v)
        order.append(u)

    for u in range(n):
        if not visited[u]:
            dfs(u)
    dist = [float("inf")] * n
    dist[src] = 0
    for u in reversed(order):
        if dist[u] == float("inf"):
            continue
        for v, w in adj[u]:
            dist[v] = min(dist[v], dist[u] + w)
    return dist

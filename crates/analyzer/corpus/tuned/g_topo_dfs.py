# expect time: O(n); space: O(n); why: every vertex is finished once and every edge followed once; the marks, the order and the recursion stack are n deep at most
# expect-multi time: O(V+E); space: O(V)
def topo_order(n, adj):
    state = [0] * n
    order = []

    def visit(u):
        state[u] = 1
        for v in adj[u]:
            if state[v] == 0:
                visit(v)
        state[u] = 2
        order.append(u)

    for u in range(n):
        if state[u] == 0:
            visit(u)
    order.reverse()
    return order

# expect time: O(n); space: O(n); why: each vertex is expanded once; the stack holds at most one entry per edge
# expect-multi time: O(V+E); space: O(V+E)
def reachable(adj, src):
    seen = set()
    stack = [src]
    while stack:
        u = stack.pop()
        if u in seen:
            continue
        seen.add(u)
        for v in adj[u]:
            if v not in seen:
                stack.append(v)
    return len(seen)

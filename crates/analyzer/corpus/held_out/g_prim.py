import heapq


# expect time: O(n log n); space: O(n); why: each edge pushes at most one heap entry, log n per heap operation
# expect-multi time: O(E log E); space: O(V+E)
def prim(adj, start=0):
    seen = set()
    heap = [(0, start)]
    total = 0
    while heap:
        w, u = heapq.heappop(heap)
        if u in seen:
            continue
        seen.add(u)
        total += w
        for v, wt in adj[u]:
            if v not in seen:
                heapq.heappush(heap, (wt, v))
    return total

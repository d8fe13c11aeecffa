import heapq


# expect time: O(n log n); space: O(n); why: lazy deletion pushes at most one entry per edge into the heap; dist and done arrays have n entries
# expect-multi time: O((V+E) log V); space: O(V+E)
def dijkstra(n, adj, src):
    INF = float("inf")
    dist = [INF] * n
    done = [False] * n
    dist[src] = 0
    heap = [(0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if done[u]:
            continue
        done[u] = True
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                heapq.heappush(heap, (dist[v], v))
    return dist

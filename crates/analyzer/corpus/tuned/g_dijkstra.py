import heapq


# expect time: O(n log n); space: O(n); why: every edge may push one heap entry, each push and pop costs log n; the distance table and heap are linear
# expect-multi time: O((V+E) log V); space: O(V+E)
def dijkstra(graph, source):
    dist = {node: float("inf") for node in graph}
    dist[source] = 0
    heap = [(0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v, w in graph[u]:
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    return dist

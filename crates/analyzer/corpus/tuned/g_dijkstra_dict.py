import heapq


# expect time: O(n log n); space: O(n); why: each edge relaxation pushes one heap entry (log n each); the distance table and heap grow with the graph
# expect-multi time: O((V+E) log V); space: O(V+E)
def shortest_paths(graph, source):
    dist = {node: float("inf") for node in graph}
    dist[source] = 0
    pq = [(0, source)]
    while pq:
        d, node = heapq.heappop(pq)
        if d > dist[node]:
            continue
        for neighbour, weight in graph[node]:
            nd = d + weight
            if nd < dist[neighbour]:
                dist[neighbour] = nd
                heapq.heappush(pq, (nd, neighbour))
    return dist

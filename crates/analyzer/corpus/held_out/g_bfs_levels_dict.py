from collections import deque


# expect time: O(n); space: O(n); why: each vertex is dequeued once and each of its edges read once; the distance dict and the queue hold at most the vertices
# expect-multi time: O(V+E); space: O(V)
def bfs_levels(graph, start):
    dist = {start: 0}
    queue = deque([start])
    while queue:
        u = queue.popleft()
        for v in graph.get(u, []):
            if v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist

from collections import deque


# expect time: O(n); space: O(n); why: each vertex is queued once and each edge looked at once; visited and the queue hold up to V vertices
# expect-multi time: O(V+E); space: O(V)
def bfs_order(graph, start):
    visited = {start}
    order = []
    queue = deque([start])
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in graph[node]:
            if nxt not in visited:
                visited.add(nxt)
                queue.append(nxt)
    return order

from collections import deque


# expect time: O(n); space: O(n); why: BFS from every uncoloured vertex colours each vertex once
# expect-multi time: O(V+E); space: O(V)
def is_bipartite(graph):
    color = [-1] * len(graph)
    for s in range(len(graph)):
        if color[s] != -1:
            continue
        color[s] = 0
        q = deque([s])
        while q:
            u = q.popleft()
            for v in graph[u]:
                if color[v] == -1:
                    color[v] = 1 - color[u]
                    q.append(v)
                elif color[v] == color[u]:
                    return False
    return True

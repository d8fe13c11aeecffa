from collections import deque


# expect time: O(n^2); space: O(n); why: each of n vertices is dequeued once and scans its whole matrix row; only the distance list and queue are extra
def bfs_distances(matrix, source):
    n = len(matrix)
    dist = [-1] * n
    dist[source] = 0
    q = deque([source])
    while q:
        u = q.popleft()
        for v in range(n):
            if matrix[u][v] and dist[v] == -1:
                dist[v] = dist[u] + 1
                q.append(v)
    return dist

from collections import deque


# expect time: O(n^2); space: O(n); why: each vertex is queued once and reads its matrix row; the visited flags and the queue hold at most n vertices
def reachable_count(adj_matrix, start):
    n = len(adj_matrix)
    visited = [False] * n
    visited[start] = True
    queue = deque([start])
    count = 0
    while queue:
        node = queue.popleft()
        count += 1
        for nxt in range(n):
            if adj_matrix[node][nxt] == 1 and not visited[nxt]:
                visited[nxt] = True
                queue.append(nxt)
    return count

# expect time: O(n); space: O(n); why: each vertex is entered once, each edge examined once; the recursion can be V deep
# expect-multi time: O(V+E); space: O(V)
def dfs(graph, node, seen=None):
    if seen is None:
        seen = set()
    seen.add(node)
    for nb in graph[node]:
        if nb not in seen:
            dfs(graph, nb, seen)
    return seen

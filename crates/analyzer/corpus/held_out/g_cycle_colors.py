# expect time: O(n); space: O(n); why: each vertex turns grey then black once; the recursion can be V deep
# expect-multi time: O(V+E); space: O(V)
def has_cycle(graph):
    WHITE, GREY, BLACK = 0, 1, 2
    color = {u: WHITE for u in graph}

    def visit(u):
        color[u] = GREY
        for v in graph[u]:
            if color[v] == GREY:
                return True
            if color[v] == WHITE and visit(v):
                return True
        color[u] = BLACK
        return False

    return any(color[u] == WHITE and visit(u) for u in graph)

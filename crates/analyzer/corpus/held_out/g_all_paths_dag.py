# expect time: O(2^n); space: O(2^n); why: a DAG on n vertices can have 2^(n-2) paths from source to target, and each is copied into the result at up to n vertices
def all_paths(graph, source, target):
    paths = []
    path = [source]

    def walk(u):
        if u == target:
            paths.append(list(path))
            return
        for v in graph.get(u, ()):
            path.append(v)
            walk(v)
            path.pop()

    walk(source)
    return paths

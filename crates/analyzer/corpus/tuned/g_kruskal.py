class DisjointSet:
    def __init__(self, n):
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x):
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b):
        a, b = self.find(a), self.find(b)
        if a == b:
            return False
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]
        return True


# expect time: O(n log n); space: O(n); why: sorting the edges dominates; union-find is amortised near-constant
# expect-multi time: O(E log E); space: O(V+E)
def kruskal(n, edges):
    ds = DisjointSet(n)
    total = 0
    for w, u, v in sorted(edges):
        if ds.union(u, v):
            total += w
    return total

# expect time: O(n^3); space: O(n^2); why: Warshall's three nested loops over the vertices on a copied n x n reachability matrix
def transitive_closure(adj):
    n = len(adj)
    reach = [row[:] for row in adj]
    for i in range(n):
        reach[i][i] = True
    for k in range(n):
        for i in range(n):
            if not reach[i][k]:
                continue
            for j in range(n):
                if reach[k][j]:
                    reach[i][j] = True
    return reach

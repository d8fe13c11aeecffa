# expect time: O(n^3); space: O(n^2); why: three nested loops over the vertices on a copied distance matrix
def all_pairs(dist):
    n = len(dist)
    d = [row[:] for row in dist]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if d[i][k] + d[k][j] < d[i][j]:
                    d[i][j] = d[i][k] + d[k][j]
    return d

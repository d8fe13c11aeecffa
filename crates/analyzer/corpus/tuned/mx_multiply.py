# expect time: O(n^3); space: O(n^2); why: n^2 output cells, each a dot product of length n
# expect-multi time: O(n*m*p); space: O(n*p)
def mat_mul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    c = [[0] * p for _ in range(n)]
    for i in range(n):
        for j in range(p):
            s = 0
            for k in range(m):
                s += a[i][k] * b[k][j]
            c[i][j] = s
    return c

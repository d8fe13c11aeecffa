class Matrix:
    def __init__(self, rows):
        self.rows = rows
        self.n = len(rows)

    def __matmul__(self, other):
        n = self.n
        out = [[0] * n for _ in range(n)]
        for i in range(n):
            for k in range(n):
                a = self.rows[i][k]
                for j in range(n):
                    out[i][j] += a * other.rows[k][j]
        return Matrix(out)


# expect time: O(n^3); space: O(n^2); why: one n x n product with the i-k-j loop order into a new matrix
def square(rows):
    m = Matrix(rows)
    return (m @ m).rows

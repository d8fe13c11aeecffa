def mat_mult(a, b):
    return [
        [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]],
        [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]],
    ]


# expect time: O(log n); space: O(1); why: square-and-multiply on fixed 2x2 matrices, n halved each step
def fib(n):
    result = [[1, 0], [0, 1]]
    m = [[1, 1], [1, 0]]
    while n:
        if n % 2:
            result = mat_mult(result, m)
        m = mat_mult(m, m)
        n //= 2
    return result[0][1]

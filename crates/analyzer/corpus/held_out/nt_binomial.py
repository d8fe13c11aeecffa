# expect time: O(n); space: O(1); why: k multiplications and divisions with k up to n
def n_choose_k(n, k):
    k = min(k, n - k)
    result = 1
    for i in range(1, k + 1):
        result = result * (n - k + i) // i
    return result

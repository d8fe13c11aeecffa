# expect time: O(n^2); space: O(n); why: each cell takes the best of up to three cells in the row above, and only the previous row is kept
# expect-multi time: O(n*m); space: O(m)
def min_falling_path_sum(matrix):
    prev = list(matrix[0])
    cols = len(prev)
    for i in range(1, len(matrix)):
        row = matrix[i]
        cur = [0] * cols
        for j in range(cols):
            best = prev[j]
            if j > 0:
                best = min(best, prev[j - 1])
            if j + 1 < cols:
                best = min(best, prev[j + 1])
            cur[j] = row[j] + best
        prev = cur
    return min(prev)

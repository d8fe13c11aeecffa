# expect time: O(n^2); space: O(n); why: each part size up to n updates a row of n counts
def partition_count(n):
    ways = [1] + [0] * n
    for part in range(1, n + 1):
        for total in range(part, n + 1):
            ways[total] += ways[total - part]
    return ways[n]

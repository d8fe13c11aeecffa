import heapq


# expect time: O(n log n); space: O(n); why: each point is pushed into a heap bounded by k, log k per push; the heap holds up to k points
def k_closest(points, k):
    heap = []
    for x, y in points:
        d = x * x + y * y
        heapq.heappush(heap, (-d, x, y))
        if len(heap) > k:
            heapq.heappop(heap)
    return [(x, y) for _, x, y in heap]

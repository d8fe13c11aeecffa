import heapq
from itertools import count


# expect time: O(n log n); space: O(n); why: n-1 merges, each two pops and a push on a heap of up to n trees
def huffman_cost(freqs):
    tie = count()
    heap = [(f, next(tie)) for f in freqs]
    heapq.heapify(heap)
    cost = 0
    while len(heap) > 1:
        a, _ = heapq.heappop(heap)
        b, _ = heapq.heappop(heap)
        cost += a + b
        heapq.heappush(heap, (a + b, next(tie)))
    return cost

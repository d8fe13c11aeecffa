import heapq


# expect time: O(n log n); space: O(n); why: every element passes through a heap of k entries; the output holds all N
# expect-multi time: O(N log k); space: O(N+k)
def merge_k(lists):
    heap = [(lst[0], i, 0) for i, lst in enumerate(lists) if lst]
    heapq.heapify(heap)
    out = []
    while heap:
        val, i, j = heapq.heappop(heap)
        out.append(val)
        if j + 1 < len(lists[i]):
            heapq.heappush(heap, (lists[i][j + 1], i, j + 1))
    return out

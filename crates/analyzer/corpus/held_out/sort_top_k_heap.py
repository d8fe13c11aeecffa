import heapq


# expect time: O(n log n); space: O(n); why: n pushes into a heap of up to k elements, and k grows with n
# expect-multi time: O(n log k); space: O(k)
def top_k(nums, k):
    heap = []
    for x in nums:
        heapq.heappush(heap, x)
        if len(heap) > k:
            heapq.heappop(heap)
    return sorted(heap, reverse=True)

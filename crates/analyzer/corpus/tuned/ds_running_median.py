import heapq


# expect time: O(n log n); space: O(n); why: each value costs a few heap operations of log n; the heaps hold all values
def running_median(stream):
    low, high = [], []
    medians = []
    for x in stream:
        heapq.heappush(low, -x)
        heapq.heappush(high, -heapq.heappop(low))
        if len(high) > len(low):
            heapq.heappush(low, -heapq.heappop(high))
        if len(low) > len(high):
            medians.append(-low[0])
        else:
            medians.append((-low[0] + high[0]) / 2)
    return medians

import heapq


# expect time: O(n log n); space: O(n); why: sorted meetings, and a heap of end times with a log n push or pop per meeting
def min_rooms(meetings):
    ends = []
    for start, end in sorted(meetings):
        if ends and ends[0] <= start:
            heapq.heapreplace(ends, end)
        else:
            heapq.heappush(ends, end)
    return len(ends)

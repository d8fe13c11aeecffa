class MinHeap:
    def __init__(self, items):
        self.data = list(items)
        for i in range(len(self.data) // 2 - 1, -1, -1):
            self._sift_down(i)

    def _sift_down(self, i):
        n = len(self.data)
        while True:
            smallest = i
            left, right = 2 * i + 1, 2 * i + 2
            if left < n and self.data[left] < self.data[smallest]:
                smallest = left
            if right < n and self.data[right] < self.data[smallest]:
                smallest = right
            if smallest == i:
                return
            self.data[i], self.data[smallest] = self.data[smallest], self.data[i]
            i = smallest

    def pop(self):
        last = self.data.pop()
        if not self.data:
            return last
        top = self.data[0]
        self.data[0] = last
        self._sift_down(0)
        return top


# expect time: O(n log n); space: O(n); why: the heap copies the n items, then n pops each sift one path of log n down
def heap_sorted(items):
    heap = MinHeap(items)
    out = []
    for _ in range(len(items)):
        out.append(heap.pop())
    return out

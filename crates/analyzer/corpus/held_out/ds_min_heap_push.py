class MinHeap:
    def __init__(self):
        self.items = []

    # expect time: O(log n); space: O(1); why: the new item climbs one parent per step and the index halves each time
    def push(self, value):
        items = self.items
        items.append(value)
        i = len(items) - 1
        while i > 0:
            parent = (i - 1) // 2
            if items[parent] <= items[i]:
                break
            items[parent], items[i] = items[i], items[parent]
            i = parent

    def peek(self):
        return self.items[0] if self.items else None

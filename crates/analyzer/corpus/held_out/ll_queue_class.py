class _Node:
    def __init__(self, item):
        self.item = item
        self.next = None


class LinkedQueue:
    def __init__(self):
        self.head = None
        self.tail = None
        self.size = 0

    def enqueue(self, item):
        node = _Node(item)
        if self.tail is None:
            self.head = node
        else:
            self.tail.next = node
        self.tail = node
        self.size += 1


# expect time: O(n); space: O(n); why: each value becomes one linked node kept by the queue
def queue_of(values):
    q = LinkedQueue()
    for v in values:
        q.enqueue(v)
    return q

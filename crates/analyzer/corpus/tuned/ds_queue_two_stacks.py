class Queue:
    def __init__(self):
        self.inbox = []
        self.outbox = []

    def push(self, x):
        self.inbox.append(x)

    def pop(self):
        if not self.outbox:
            while self.inbox:
                self.outbox.append(self.inbox.pop())
        return self.outbox.pop()


# expect time: O(n); space: O(n); why: each element moves from inbox to outbox once, amortised constant per operation
def process(values):
    q = Queue()
    total = 0
    for v in values:
        q.push(v)
        if v % 3 == 0:
            total += q.pop()
    return total

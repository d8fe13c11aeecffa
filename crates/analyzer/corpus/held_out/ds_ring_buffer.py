class RingBuffer:
    def __init__(self, capacity):
        self.data = [None] * capacity
        self.start = 0
        self.size = 0

    # expect time: O(1); space: O(1); why: writes one slot of the preallocated list and moves an index modulo the capacity
    def push(self, value):
        cap = len(self.data)
        end = (self.start + self.size) % cap
        self.data[end] = value
        if self.size < cap:
            self.size += 1
        else:
            self.start = (self.start + 1) % cap

    def to_list(self):
        cap = len(self.data)
        return [self.data[(self.start + i) % cap] for i in range(self.size)]

from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = OrderedDict()

    def get(self, key):
        if key not in self.data:
            return -1
        self.data.move_to_end(key)
        return self.data[key]

    def put(self, key, value):
        self.data[key] = value
        self.data.move_to_end(key)
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)


# expect time: O(n); space: O(n); why: each operation is constant time; the cache and answers hold up to n entries
def run_ops(capacity, ops):
    cache = LRUCache(capacity)
    answers = []
    for op, key, value in ops:
        if op == "get":
            answers.append(cache.get(key))
        else:
            cache.put(key, value)
    return answers

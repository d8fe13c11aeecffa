# expect time: O(n); space: O(1); why: one scan until the value is found
def index_of(items, value):
    for i, item in enumerate(items):
        if item == value:
            return i
    return -1

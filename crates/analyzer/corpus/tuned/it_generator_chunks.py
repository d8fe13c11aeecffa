# expect time: O(n); space: O(n); why: each element is copied into exactly one chunk; the list of chunks holds them all
def chunked(items, size):
    def chunks():
        for i in range(0, len(items), size):
            yield items[i:i + size]

    return list(chunks())

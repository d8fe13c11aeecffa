def windows(seq, k):
    for i in range(len(seq) - k + 1):
        yield seq[i:i + k]


# expect time: O(n^2); space: O(n); why: n windows are sliced, each copying k elements; only one window is alive at a time
def max_window_sum(seq, k):
    best = None
    for w in windows(seq, k):
        s = sum(w)
        if best is None or s > best:
            best = s
    return best

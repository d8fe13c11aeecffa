# expect time: O(n log n); space: O(n); why: a sorted copy of the balloons by end point, then one greedy pass
def min_arrows(points):
    arrows = 0
    end = None
    for start, finish in sorted(points, key=lambda p: p[1]):
        if end is None or start > end:
            arrows += 1
            end = finish
    return arrows

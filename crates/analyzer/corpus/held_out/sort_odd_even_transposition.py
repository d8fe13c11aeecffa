# expect time: O(n^2); space: O(1); why: n rounds, each comparing every odd or every even neighbour pair once and swapping in place
def odd_even_sort(a):
    n = len(a)
    for round_no in range(n):
        start = round_no % 2
        for i in range(start, n - 1, 2):
            if a[i] > a[i + 1]:
                a[i], a[i + 1] = a[i + 1], a[i]
    return a

# expect time: O(n^2); space: O(1); why: each out-of-place element walks back step by step, like insertion sort
def gnome_sort(a):
    i = 0
    while i < len(a):
        if i == 0 or a[i - 1] <= a[i]:
            i += 1
        else:
            a[i - 1], a[i] = a[i], a[i - 1]
            i -= 1
    return a

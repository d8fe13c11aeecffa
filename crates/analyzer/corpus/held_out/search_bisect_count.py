from bisect import bisect_left, bisect_right


# expect time: O(log n); space: O(1); why: two binary searches on a sorted list
def count_occurrences(sorted_nums, x):
    return bisect_right(sorted_nums, x) - bisect_left(sorted_nums, x)

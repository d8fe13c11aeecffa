def make_checker(first_bad):
    def is_bad(version):
        return version >= first_bad

    return is_bad


# expect time: O(log n); space: O(1); why: the candidate range halves on every probe and each probe is a constant-time check
def first_bad_version(n, is_bad):
    lo, hi = 1, n
    while lo < hi:
        mid = lo + (hi - lo) // 2
        if is_bad(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


if __name__ == "__main__":
    print(first_bad_version(100, make_checker(37)))

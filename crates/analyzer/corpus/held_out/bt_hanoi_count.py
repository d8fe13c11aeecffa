# expect time: O(2^n); space: O(n); why: two recursive calls on n-1 disks; only the stack, n deep, is extra
def hanoi_moves(n, src, dst, via):
    if n == 0:
        return 0
    return hanoi_moves(n - 1, src, via, dst) + 1 + hanoi_moves(n - 1, via, dst, src)

# expect time: O(2^n); space: O(2^n); why: two recursive calls on n-1 disks, and all 2^n - 1 moves are collected
def hanoi(n, source="A", target="C", spare="B", moves=None):
    if moves is None:
        moves = []
    if n == 0:
        return moves
    hanoi(n - 1, source, spare, target, moves)
    moves.append((source, target))
    hanoi(n - 1, spare, target, source, moves)
    return moves

def move(k, source, target, spare, moves):
    if k == 0:
        return
    move(k - 1, source, spare, target, moves)
    moves.append((source, target))
    move(k - 1, spare, target, source, moves)


# expect time: O(2^n); space: O(2^n); why: the recursion makes 2^n - 1 moves and every one is kept in the list
def hanoi(n):
    moves = []
    move(n, "A", "C", "B", moves)
    return moves

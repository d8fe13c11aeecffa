# expect time: O(2^n); space: O(2^n); why: the search builds every balanced string of n pairs, a Catalan number of them that grows exponentially in n, and keeps them all
def generate_parentheses(n):
    result = []

    def build(current, opened, closed):
        if len(current) == 2 * n:
            result.append("".join(current))
            return
        if opened < n:
            current.append("(")
            build(current, opened + 1, closed)
            current.pop()
        if closed < opened:
            current.append(")")
            build(current, opened, closed + 1)
            current.pop()

    build([], 0, 0)
    return result

# expect time: O(n); space: O(n); why: each character is appended to one row once, then the rows are joined into one string of n characters
def convert(s, num_rows):
    if num_rows == 1 or num_rows >= len(s):
        return s
    rows = [[] for _ in range(num_rows)]
    row, step = 0, 1
    for ch in s:
        rows[row].append(ch)
        if row == 0:
            step = 1
        elif row == num_rows - 1:
            step = -1
        row += step
    return "".join("".join(r) for r in rows)

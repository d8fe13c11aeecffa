# expect time: O(n); space: O(n); why: one pass, the pieces list holds up to n runs
def encode(s):
    if not s:
        return ""
    pieces = []
    run_char, run_len = s[0], 1
    for ch in s[1:]:
        if ch == run_char:
            run_len += 1
        else:
            pieces.append(f"{run_len}{run_char}")
            run_char, run_len = ch, 1
    pieces.append(f"{run_len}{run_char}")
    return "".join(pieces)

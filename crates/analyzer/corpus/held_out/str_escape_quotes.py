# expect time: O(n); space: O(n); why: one pass over the characters, the output string grows by one or two characters each
def escape_quotes(s):
    out = '"'
    for ch in s:
        if ch == '"':
            out += '""'
        else:
            out += ch
    out += '"'
    return out

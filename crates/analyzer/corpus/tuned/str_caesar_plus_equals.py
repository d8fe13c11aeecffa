# expect time: O(n); space: O(n); why: one pass; the result string grows by += to n characters
def caesar(text, shift):
    out = ""
    for ch in text:
        if ch.isalpha():
            base = ord("a") if ch.islower() else ord("A")
            out += chr((ord(ch) - base + shift) % 26 + base)
        else:
            out += ch
    return out

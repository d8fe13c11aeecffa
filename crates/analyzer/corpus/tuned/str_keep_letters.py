# expect time: O(n); space: O(n); why: one pass; the result string grows by a character for each letter kept
def only_letters_lower(text):
    result = ""
    for ch in text:
        if ch.isalpha():
            result += ch.lower()
    return result

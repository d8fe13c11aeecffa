from collections import defaultdict


# expect time: O(n); space: O(n); why: split is linear and each word is counted once in a dict
def word_frequencies(text):
    freq = defaultdict(int)
    for word in text.lower().split():
        freq[word] += 1
    return dict(freq)

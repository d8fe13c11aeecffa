# expect time: O(n); space: O(n); why: split, reverse and join each touch every character once
def reverse_words(sentence):
    words = sentence.split()
    words.reverse()
    return " ".join(words)

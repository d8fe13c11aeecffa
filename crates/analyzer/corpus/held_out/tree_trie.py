class TrieNode:
    def __init__(self):
        self.children = {}
        self.end = False


class Trie:
    def __init__(self):
        self.root = TrieNode()

    def insert(self, word):
        node = self.root
        for ch in word:
            if ch not in node.children:
                node.children[ch] = TrieNode()
            node = node.children[ch]
        node.end = True


# expect time: O(n^2); space: O(n^2); why: n words of length up to n, one node per character in the worst case
# expect-multi time: O(n*L); space: O(n*L)
def build_trie(words):
    trie = Trie()
    for w in words:
        trie.insert(w)
    return trie

class Node:
    def __init__(self, key):
        self.key = key
        self.left = None
        self.right = None


def insert(root, key):
    node = Node(key)
    if root is None:
        return node
    cur = root
    while True:
        if key < cur.key:
            if cur.left is None:
                cur.left = node
                return root
            cur = cur.left
        else:
            if cur.right is None:
                cur.right = node
                return root
            cur = cur.right


# expect time: O(n^2); space: O(n); why: sorted input makes the tree a path, so the i-th insert walks i nodes; n nodes are created
def build_bst(keys):
    root = None
    for k in keys:
        root = insert(root, k)
    return root

# expect time: O(n); space: O(1); why: walks one root-to-node path, up to the height, which is n for an unbalanced tree
def lowest_common_ancestor(root, p, q):
    node = root
    while node:
        if p < node.val and q < node.val:
            node = node.left
        elif p > node.val and q > node.val:
            node = node.right
        else:
            return node
    return None

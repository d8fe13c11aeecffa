# expect time: O(n); space: O(n); why: each node is pushed and popped once; the stack holds up to the height, n for a path
def inorder(root):
    out = []
    stack = []
    node = root
    while stack or node:
        while node:
            stack.append(node)
            node = node.left
        node = stack.pop()
        out.append(node.val)
        node = node.right
    return out

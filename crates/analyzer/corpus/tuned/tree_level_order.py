from collections import deque


# expect time: O(n); space: O(n); why: each node enters the queue once; levels and the output hold all n values
def level_order(root):
    if not root:
        return []
    levels = []
    q = deque([root])
    while q:
        level = []
        for _ in range(len(q)):
            node = q.popleft()
            level.append(node.val)
            if node.left:
                q.append(node.left)
            if node.right:
                q.append(node.right)
        levels.append(level)
    return levels

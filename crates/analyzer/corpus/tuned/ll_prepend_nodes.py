class Node:
    def __init__(self, value, next_node=None):
        self.value = value
        self.next = next_node


# expect time: O(n); space: O(n); why: one node is created per value and each is linked in front of the previous head
def from_list(values):
    head = None
    for value in reversed(values):
        head = Node(value, head)
    return head

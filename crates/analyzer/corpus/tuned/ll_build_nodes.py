class ListNode:
    def __init__(self, val, nxt=None):
        self.val = val
        self.next = nxt


# expect time: O(n); space: O(n); why: one new node per value, all kept in the list
def build_list(values):
    head = tail = None
    for v in values:
        node = ListNode(v)
        if tail is None:
            head = tail = node
        else:
            tail.next = node
            tail = node
    return head

class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


# expect time: O(n^2); space: O(1); why: each node is spliced into the sorted part after a scan from its head, up to i nodes for the i-th; only a dummy node is new
def insertion_sort_list(head):
    dummy = Node(0)
    cur = head
    while cur:
        nxt = cur.next
        prev = dummy
        while prev.next and prev.next.val < cur.val:
            prev = prev.next
        cur.next = prev.next
        prev.next = cur
        cur = nxt
    return dummy.next

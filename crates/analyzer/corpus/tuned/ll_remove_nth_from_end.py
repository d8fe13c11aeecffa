class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


# expect time: O(n); space: O(1); why: the lead pointer runs ahead k nodes, then both walk to the end once
def remove_nth_from_end(head, k):
    dummy = ListNode(0, head)
    lead = trail = dummy
    for _ in range(k + 1):
        lead = lead.next
    while lead is not None:
        lead = lead.next
        trail = trail.next
    trail.next = trail.next.next
    return dummy.next

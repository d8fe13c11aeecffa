class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


# expect time: O(n); space: O(1); why: relinks existing nodes; only a dummy head is new
# expect-multi time: O(n+m)
def merge_two_lists(l1, l2):
    dummy = ListNode()
    tail = dummy
    while l1 and l2:
        if l1.val <= l2.val:
            tail.next, l1 = l1, l1.next
        else:
            tail.next, l2 = l2, l2.next
        tail = tail.next
    tail.next = l1 or l2
    return dummy.next

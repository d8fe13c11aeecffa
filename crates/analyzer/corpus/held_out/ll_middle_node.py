class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


# expect time: O(n); space: O(1); why: the fast pointer reaches the end after about n/2 steps, and only two references are kept
def middle_node(head):
    slow = fast = head
    while fast and fast.next:
        slow = slow.next
        fast = fast.next.next
    return slow

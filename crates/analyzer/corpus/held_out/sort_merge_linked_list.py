class ListNode:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


def merge(a, b):
    dummy = tail = ListNode(0)
    while a and b:
        if a.val <= b.val:
            tail.next, a = a, a.next
        else:
            tail.next, b = b, b.next
        tail = tail.next
    tail.next = a or b
    return dummy.next


# expect time: O(n log n); space: O(log n); why: the list is cut at its middle by slow and fast pointers and the halves merged by relinking, log n levels of linear work; only the recursion stack is extra
def sort_list(head):
    if head is None or head.next is None:
        return head
    slow, fast = head, head.next
    while fast and fast.next:
        slow = slow.next
        fast = fast.next.next
    second = slow.next
    slow.next = None
    return merge(sort_list(head), sort_list(second))

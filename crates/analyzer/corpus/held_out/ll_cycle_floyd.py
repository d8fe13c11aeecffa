# expect time: O(n); space: O(1); why: the fast pointer catches the slow one within a lap of the cycle
def has_cycle(head):
    slow = fast = head
    while fast and fast.next:
        slow = slow.next
        fast = fast.next.next
        if slow is fast:
            return True
    return False

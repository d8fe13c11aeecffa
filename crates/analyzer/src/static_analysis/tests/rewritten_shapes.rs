//! The corpus shapes of `corpus_shapes.rs` written the other ways people write them (issue
//! 16's misses on programs the analyzer had not seen): the rules must follow the idea, not one
//! spelling of it.

use super::function;

#[test]
fn dividing_out_written_as_an_assignment_is_amortised_like_floor_division() {
    let code = "def factors(n):\n    out = []\n    p = 2\n    while p * p <= n:\n        while n % p == 0:\n            out.append(p)\n            n = n // p\n        p += 1\n    return out\n";
    assert_eq!(
        function(code, "factors"),
        ("O(sqrt n)".to_owned(), "O(log n)".to_owned())
    );
}

#[test]
fn a_sift_down_that_picks_the_smaller_child_is_logarithmic() {
    let code = "def sift(a, i):\n    n = len(a)\n    while True:\n        smallest = i\n        left, right = 2 * i + 1, 2 * i + 2\n        if left < n and a[left] < a[smallest]:\n            smallest = left\n        if right < n and a[right] < a[smallest]:\n            smallest = right\n        if smallest == i:\n            return\n        a[i], a[smallest] = a[smallest], a[i]\n        i = smallest\n";
    assert_eq!(function(code, "sift").0, "O(log n)");
    // Picking something that is not a child is not a descent.
    let other = "def walk(a, i):\n    n = len(a)\n    while i < n:\n        nxt = i\n        if a[i] > 0:\n            nxt = i + 1\n        if nxt == i:\n            return\n        i = nxt\n";
    assert_ne!(function(other, "walk").0, "O(log n)");
}

#[test]
fn a_partition_helper_that_picks_a_random_pivot_makes_the_tail_loop_quicksort() {
    let code = "import random\n\ndef partition(a, lo, hi):\n    k = random.randint(lo, hi)\n    a[k], a[hi] = a[hi], a[k]\n    p = a[hi]\n    s = lo\n    for i in range(lo, hi):\n        if a[i] <= p:\n            a[i], a[s] = a[s], a[i]\n            s += 1\n    a[s], a[hi] = a[hi], a[s]\n    return s\n\ndef qs(a, lo, hi):\n    while lo < hi:\n        p = partition(a, lo, hi)\n        if p - lo < hi - p:\n            qs(a, lo, p - 1)\n            lo = p + 1\n        else:\n            qs(a, p + 1, hi)\n            hi = p - 1\n";
    assert_eq!(
        function(code, "qs"),
        ("O(n log n)".to_owned(), "O(log n)".to_owned())
    );
}

#[test]
fn a_list_joined_from_two_comprehensions_over_itself_doubles() {
    let code = "def gray(n):\n    codes = ['']\n    for _ in range(n):\n        first = ['0' + c for c in codes]\n        second = ['1' + c for c in reversed(codes)]\n        codes = first + second\n    return codes\n";
    assert_eq!(
        function(code, "gray"),
        ("O(2^n)".to_owned(), "O(2^n)".to_owned())
    );
    // One copy plus something else is not a doubling.
    let once = "def f(a):\n    out = []\n    for x in a:\n        first = [y for y in out]\n        out = first + [x]\n    return out\n";
    assert_ne!(function(once, "f").0, "O(2^n)");
}

#[test]
fn a_loop_over_a_sorted_copy_keeps_the_copy() {
    let code =
        "def f(xs):\n    c = 0\n    for s, e in sorted(xs):\n        c += e - s\n    return c\n";
    assert_eq!(
        function(code, "f"),
        ("O(n log n)".to_owned(), "O(n)".to_owned())
    );
    // A loop over the input itself allocates nothing.
    let plain = "def f(xs):\n    c = 0\n    for s, e in xs:\n        c += e - s\n    return c\n";
    assert_eq!(function(plain, "f").1, "O(1)");
}

#[test]
fn nodes_linked_in_front_of_the_head_stay_alive() {
    let code = "class Node:\n    def __init__(self, v, nxt=None):\n        self.v = v\n        self.next = nxt\n\ndef build(values):\n    head = None\n    for v in values:\n        head = Node(v, head)\n    return head\n";
    assert_eq!(
        function(code, "build"),
        ("O(n)".to_owned(), "O(n)".to_owned())
    );
}

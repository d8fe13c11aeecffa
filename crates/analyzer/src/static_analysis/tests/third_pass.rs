//! Issue 16's third pass: rules for the tuned corpus misses left after the second pass, each
//! true of the code whatever its names.

use super::function;

const NODE: &str = "class Node:\n    def __init__(self, key):\n        self.key = key\n        self.left = None\n        self.right = None\n\n";

#[test]
fn a_tree_built_by_storing_back_what_insert_returns_keeps_every_node() {
    let recursive = format!(
        "{NODE}def insert(node, key):\n    if node is None:\n        return Node(key)\n    if key < node.key:\n        node.left = insert(node.left, key)\n    else:\n        node.right = insert(node.right, key)\n    return node\n\ndef build(keys):\n    root = None\n    for k in keys:\n        root = insert(root, k)\n    return root\n"
    );
    assert_eq!(function(&recursive, "build").1, "O(n)");
    let iterative = format!(
        "{NODE}def add(root, key):\n    node = Node(key)\n    if root is None:\n        return node\n    cur = root\n    while True:\n        if key < cur.key:\n            if cur.left is None:\n                cur.left = node\n                return root\n            cur = cur.left\n        else:\n            if cur.right is None:\n                cur.right = node\n                return root\n            cur = cur.right\n\ndef grow(keys):\n    t = None\n    for k in keys:\n        t = add(t, k)\n    return t\n"
    );
    assert_eq!(function(&iterative, "grow").1, "O(n)");
}

#[test]
fn stepping_a_pointer_through_a_function_keeps_nothing() {
    // `cur = step(cur)` returns a node that already exists: nothing new stays alive.
    let code = format!(
        "{NODE}def step(node):\n    return node.left if node.left else node.right\n\ndef walk(root, n):\n    cur = root\n    for _ in range(n):\n        if cur is None:\n            break\n        cur = step(cur)\n    return cur\n"
    );
    assert_eq!(function(&code, "walk").1, "O(1)");
}

#[test]
fn a_set_of_loop_indices_holds_at_most_one_entry_per_index() {
    let code = "def zeroes(matrix):\n    rows, cols = set(), set()\n    for i, row in enumerate(matrix):\n        for j, v in enumerate(row):\n            if v == 0:\n                rows.add(i)\n                cols.add(j)\n    return rows, cols\n";
    assert_eq!(function(code, "zeroes").1, "O(n)");
    let ranges = "def marks(n):\n    seen = set()\n    for i in range(n):\n        for j in range(n):\n            seen.add(j)\n    return seen\n";
    assert_eq!(function(ranges, "marks").1, "O(n)");
    // Pairs of indices, or the elements of the rows, can all be distinct.
    let pairs = "def cells(matrix):\n    seen = set()\n    for i, row in enumerate(matrix):\n        for j, v in enumerate(row):\n            seen.add((i, j))\n    return seen\n";
    assert_eq!(function(pairs, "cells").1, "O(n^2)");
    let values = "def values(matrix):\n    seen = set()\n    for row in matrix:\n        for v in row:\n            seen.add(v)\n    return seen\n";
    assert_eq!(function(values, "values").1, "O(n^2)");
}

#[test]
fn a_scan_of_a_range_a_while_narrowed_to_a_few_values_is_constant() {
    let code = "def peak(a):\n    lo, hi = 0, len(a) - 1\n    while hi - lo > 2:\n        m1 = lo + (hi - lo) // 3\n        m2 = hi - (hi - lo) // 3\n        if a[m1] < a[m2]:\n            lo = m1 + 1\n        else:\n            hi = m2 - 1\n    best = lo\n    for i in range(lo, hi + 1):\n        if a[i] > a[best]:\n            best = i\n    return best\n";
    assert_eq!(function(code, "peak").0, "O(log n)");
    // A `break` can leave the narrowing loop early, and a rebound end undoes the narrowing.
    let breaks = code.replace(
        "            hi = m2 - 1\n",
        "            hi = m2 - 1\n        if a[lo] == 0:\n            break\n",
    );
    assert_eq!(function(&breaks, "peak").0, "O(n)");
    let rebound = code.replace("    best = lo\n", "    best = lo\n    hi = len(a) - 1\n");
    assert_eq!(function(&rebound, "peak").0, "O(n)");
}

#[test]
fn a_fixed_pivot_can_make_the_quicksort_stack_n_deep() {
    let fixed = "def partition(a, lo, hi):\n    pivot = a[hi]\n    i = lo\n    for j in range(lo, hi):\n        if a[j] < pivot:\n            a[i], a[j] = a[j], a[i]\n            i += 1\n    a[i], a[hi] = a[hi], a[i]\n    return i\n\ndef quicksort(a, lo, hi):\n    if lo < hi:\n        p = partition(a, lo, hi)\n        quicksort(a, lo, p - 1)\n        quicksort(a, p + 1, hi)\n";
    assert_eq!(
        function(fixed, "quicksort"),
        ("O(n^2)".to_owned(), "O(n)".to_owned())
    );
    let random = format!(
        "import random\n\n{}",
        fixed.replace(
            "    pivot = a[hi]\n",
            "    k = random.randint(lo, hi)\n    a[k], a[hi] = a[hi], a[k]\n    pivot = a[hi]\n"
        )
    );
    assert_eq!(
        function(&random, "quicksort"),
        ("O(n log n)".to_owned(), "O(log n)".to_owned())
    );
    // Halving calls are not pivots, whatever the function computes.
    let merge = "def merge_sort(a, lo, hi):\n    if hi - lo < 1:\n        return\n    mid = (lo + hi) // 2\n    merge_sort(a, lo, mid)\n    merge_sort(a, mid + 1, hi)\n    tmp = a[lo:hi + 1]\n    for i in range(lo, hi + 1):\n        a[i] = tmp[i - lo]\n";
    assert_eq!(function(merge, "merge_sort").0, "O(n log n)");
}

#[test]
fn a_loop_over_permutations_holds_one_ordering_at_a_time() {
    let code = "from itertools import permutations\n\ndef count_sorted(nums):\n    c = 0\n    for p in permutations(nums):\n        if list(p) == sorted(nums):\n            c += 1\n    return c\n";
    assert_eq!(function(code, "count_sorted").1, "O(n)");
    // Pairs are two long, however many there are.
    let pairs = "from itertools import permutations\n\ndef count_pairs(nums):\n    c = 0\n    for a, b in permutations(nums, 2):\n        if a < b:\n            c += 1\n    return c\n";
    assert_eq!(function(pairs, "count_pairs").1, "O(1)");
}

#[test]
fn a_window_a_generator_slices_and_yields_is_alive_while_it_is_used() {
    let code = "def windows(seq, k):\n    for i in range(len(seq) - k + 1):\n        yield seq[i:i + k]\n\ndef best(seq, k):\n    top = None\n    for w in windows(seq, k):\n        s = sum(w)\n        if top is None or s > top:\n            top = s\n    return top\n";
    assert_eq!(function(code, "windows").1, "O(n)");
    assert_eq!(function(code, "best").1, "O(n)");
    // Yielding what exists already copies nothing.
    let plain = "def evens(seq):\n    for x in seq:\n        if x % 2 == 0:\n            yield x\n";
    assert_eq!(function(plain, "evens").1, "O(1)");
}

#[test]
fn buckets_made_afresh_on_each_pass_hold_one_pass_of_appends() {
    let code = "def radix(nums):\n    exp = 1\n    top = max(nums)\n    while top // exp > 0:\n        buckets = [[] for _ in range(10)]\n        for x in nums:\n            buckets[(x // exp) % 10].append(x)\n        nums = [x for b in buckets for x in b]\n        exp *= 10\n    return nums\n";
    assert_eq!(function(code, "radix").1, "O(n)");
    // Made once outside the loops, the rows keep every pass's appends.
    let kept = "def spread(nums):\n    rows = [[] for _ in range(10)]\n    for r in range(len(nums)):\n        for x in nums:\n            rows[x % 10].append(x)\n    return rows\n";
    assert_eq!(function(kept, "spread").1, "O(n^2)");
}

#[test]
fn math_gcd_takes_logarithmic_steps_in_its_numbers() {
    let code = "import math\n\ndef gcd_all(nums):\n    g = 0\n    for x in nums:\n        g = math.gcd(g, x)\n    return g\n";
    assert_eq!(function(code, "gcd_all").0, "O(n log n)");
    // Of two small literals it is a constant.
    let fixed = "import math\n\ndef f():\n    return math.gcd(12, 18)\n";
    assert_eq!(function(fixed, "f").0, "O(1)");
}

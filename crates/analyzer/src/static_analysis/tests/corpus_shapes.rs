//! Shapes the labelled corpus (`crates/analyzer/corpus/`) showed the analyzer missing: each
//! test is the smallest program of that shape, checked on the function it is about.

use super::function;

#[test]
fn a_sift_down_through_a_named_child_in_a_branch_is_logarithmic() {
    let code = "def sift(a, root, end):\n    while True:\n        child = 2 * root + 1\n        if child > end:\n            break\n        if a[root] < a[child]:\n            a[root], a[child] = a[child], a[root]\n            root = child\n        else:\n            break\n\ndef heap_sort(a):\n    n = len(a)\n    for s in range(n // 2, -1, -1):\n        sift(a, s, n - 1)\n    for end in range(n - 1, 0, -1):\n        a[0], a[end] = a[end], a[0]\n        sift(a, 0, end - 1)\n";
    assert_eq!(function(code, "sift").0, "O(log n)");
    assert_eq!(function(code, "heap_sort").0, "O(n log n)");
}

#[test]
fn dividing_out_factors_inside_trial_division_is_amortised() {
    let code = "def factors(n):\n    out = 0\n    d = 2\n    while d * d <= n:\n        while n % d == 0:\n            out += 1\n            n //= d\n        d += 1\n    return out\n";
    assert_eq!(function(code, "factors").0, "O(sqrt n)");
    // The factors found are at most log n: so is the list that keeps them.
    let kept = "def factors(n):\n    out = []\n    d = 2\n    while d * d <= n:\n        while n % d == 0:\n            out.append(d)\n            n //= d\n        d += 1\n    if n > 1:\n        out.append(n)\n    return out\n";
    assert_eq!(
        function(kept, "factors"),
        ("O(sqrt n)".to_owned(), "O(log n)".to_owned())
    );
    // Reset by the outer loop, the divided number starts over on every pass.
    let reset = "def f(n):\n    d = 2\n    while d * d <= n:\n        m = n\n        while m % d == 0:\n            m //= d\n        d += 1\n";
    assert_eq!(function(reset, "f").0, "O(sqrt n log n)");
}

#[test]
fn quicksort_looping_on_one_side_of_a_random_pivot_is_n_log_n_with_a_log_n_stack() {
    let code = "import random\ndef qs(a, lo, hi):\n    while lo < hi:\n        r = random.randint(lo, hi)\n        a[r], a[hi] = a[hi], a[r]\n        i = lo\n        for j in range(lo, hi):\n            if a[j] <= a[hi]:\n                a[i], a[j] = a[j], a[i]\n                i += 1\n        a[i], a[hi] = a[hi], a[i]\n        if i - lo < hi - i:\n            qs(a, lo, i - 1)\n            lo = i + 1\n        else:\n            qs(a, i + 1, hi)\n            hi = i - 1\n";
    assert_eq!(
        function(code, "qs"),
        ("O(n log n)".to_owned(), "O(log n)".to_owned())
    );
}

#[test]
fn quickselect_with_a_random_pivot_is_linear_in_expectation() {
    let code = "import random\ndef select(a, k):\n    lo, hi = 0, len(a) - 1\n    while lo < hi:\n        p = random.randint(lo, hi)\n        a[p], a[hi] = a[hi], a[p]\n        s = lo\n        for i in range(lo, hi):\n            if a[i] < a[hi]:\n                a[i], a[s] = a[s], a[i]\n                s += 1\n        a[s], a[hi] = a[hi], a[s]\n        if k < s:\n            hi = s - 1\n        else:\n            lo = s + 1\n    return a[k]\n";
    assert_eq!(function(code, "select").0, "O(n)");
    // A fixed pivot can discard one element per pass: no expectation to lean on.
    let fixed = code.replace("random.randint(lo, hi)", "hi");
    assert_ne!(function(&fixed, "select").0, "O(n)");
}

#[test]
fn heaps_algorithm_counts_through_every_ordering() {
    let code = "def count(a):\n    n = len(a)\n    c = [0] * n\n    seen = 1\n    i = 0\n    while i < n:\n        if c[i] < i:\n            j = 0 if i % 2 == 0 else c[i]\n            a[j], a[i] = a[i], a[j]\n            seen += 1\n            c[i] += 1\n            i = 0\n        else:\n            c[i] = 0\n            i += 1\n    return seen\n";
    assert_eq!(
        function(code, "count"),
        ("O(n!)".to_owned(), "O(n)".to_owned())
    );
    let binary = code.replace("if c[i] < i:", "if c[i] < 2:");
    assert_eq!(function(&binary, "count").0, "O(2^n)");
}

#[test]
fn a_string_built_with_plus_equals_holds_every_character() {
    let code = "def shift(text):\n    out = ''\n    for ch in text:\n        if ch.isalpha():\n            out += chr(ord(ch) + 1)\n        else:\n            out += ch\n    return out\n";
    assert_eq!(
        function(code, "shift"),
        ("O(n)".to_owned(), "O(n)".to_owned())
    );
}

#[test]
fn a_linked_list_built_node_by_node_holds_every_node() {
    let code = "class Node:\n    def __init__(self, v):\n        self.v = v\n        self.next = None\n\ndef build(values):\n    head = tail = Node(0)\n    for v in values:\n        node = Node(v)\n        tail.next = node\n        tail = node\n    return head.next\n";
    assert_eq!(
        function(code, "build"),
        ("O(n)".to_owned(), "O(n)".to_owned())
    );
}

#[test]
fn hanoi_moves_collected_in_a_list_created_by_the_first_call_are_exponential() {
    let code = "def hanoi(n, a, b, c, moves=None):\n    if moves is None:\n        moves = []\n    if n == 0:\n        return moves\n    hanoi(n - 1, a, c, b, moves)\n    moves.append((a, b))\n    hanoi(n - 1, c, b, a, moves)\n    return moves\n";
    assert_eq!(
        function(code, "hanoi"),
        ("O(2^n)".to_owned(), "O(2^n)".to_owned())
    );
}

#[test]
fn bfs_over_an_adjacency_matrix_queues_each_vertex_once() {
    let code = "from collections import deque\ndef bfs(m, s):\n    n = len(m)\n    dist = [-1] * n\n    dist[s] = 0\n    q = deque([s])\n    while q:\n        u = q.popleft()\n        for v in range(n):\n            if m[u][v] and dist[v] == -1:\n                dist[v] = dist[u] + 1\n                q.append(v)\n    return dist\n";
    assert_eq!(
        function(code, "bfs"),
        ("O(n^2)".to_owned(), "O(n)".to_owned())
    );
    // Without the mark every pass may queue the whole row.
    let unmarked = code.replace(" and dist[v] == -1", "");
    assert_eq!(function(&unmarked, "bfs").1, "O(n^2)");
}

#[test]
fn pairwise_and_groupby_walk_their_input_once() {
    let pairs = "from itertools import pairwise\ndef gaps(a):\n    best = 0\n    for x, y in pairwise(a):\n        best = max(best, y - x)\n    return best\n";
    assert_eq!(
        function(pairs, "gaps"),
        ("O(n)".to_owned(), "O(1)".to_owned())
    );
    let runs = "from itertools import groupby\ndef runs(a):\n    return [(k, len(list(g))) for k, g in groupby(a)]\n";
    assert_eq!(function(runs, "runs").0, "O(n)");
}

#[test]
fn divmod_divides_the_number_it_replaces() {
    let code = "def digits(n, b):\n    out = []\n    while n:\n        n, r = divmod(n, b)\n        out.append(r)\n    return out\n";
    assert_eq!(
        function(code, "digits"),
        ("O(log n)".to_owned(), "O(log n)".to_owned())
    );
}

#[test]
fn a_slice_of_a_few_elements_counted_back_copies_only_those() {
    let code = "def f(s):\n    c = 0\n    for i in range(2, len(s) + 1):\n        if '10' <= s[i - 2:i] <= '26':\n            c += 1\n    return c\n";
    assert_eq!(function(code, "f").0, "O(n)");
}

#[test]
fn heappush_keeps_what_it_pushes() {
    let code = "import heapq\ndef rooms(meetings):\n    ends = []\n    for s, e in sorted(meetings):\n        if ends and ends[0] <= s:\n            heapq.heapreplace(ends, e)\n        else:\n            heapq.heappush(ends, e)\n    return len(ends)\n";
    assert_eq!(
        function(code, "rooms"),
        ("O(n log n)".to_owned(), "O(n)".to_owned())
    );
}

#[test]
fn a_memo_over_subsets_keeps_an_entry_per_subset() {
    let code = "from functools import lru_cache\ndef tour(d):\n    n = len(d)\n    @lru_cache(maxsize=None)\n    def best(mask, c):\n        if mask == (1 << n) - 1:\n            return d[c][0]\n        return min(d[c][j] + best(mask | 1 << j, j) for j in range(n) if not mask & 1 << j)\n    return best(1, 0)\n";
    assert_eq!(
        function(code, "best"),
        ("O(2^n)".to_owned(), "O(2^n)".to_owned())
    );
}

#[test]
fn path_compression_written_as_one_tuple_assignment_is_amortised() {
    let code = "class DSU:\n    def __init__(self, n):\n        self.p = list(range(n))\n    def find(self, x):\n        r = x\n        while self.p[r] != r:\n            r = self.p[r]\n        while self.p[x] != r:\n            self.p[x], x = r, self.p[x]\n        return r\n";
    assert_eq!(function(code, "DSU.find").0, "O(1)");
}

#[test]
fn an_operator_on_an_instance_runs_its_method() {
    let code = "class M:\n    def __init__(self, rows):\n        self.rows = rows\n        self.n = len(rows)\n    def __matmul__(self, o):\n        n = self.n\n        out = [[0] * n for _ in range(n)]\n        for i in range(n):\n            for k in range(n):\n                for j in range(n):\n                    out[i][j] += self.rows[i][k] * o.rows[k][j]\n        return M(out)\n\ndef square(rows):\n    m = M(rows)\n    return (m @ m).rows\n";
    assert_eq!(
        function(code, "square"),
        ("O(n^3)".to_owned(), "O(n^2)".to_owned())
    );
}

#[test]
fn gnome_sort_steps_back_once_per_inversion() {
    let code = "def gnome(a):\n    i = 0\n    while i < len(a):\n        if i == 0 or a[i - 1] <= a[i]:\n            i += 1\n        else:\n            a[i - 1], a[i] = a[i], a[i - 1]\n            i -= 1\n    return a\n";
    assert_eq!(
        function(code, "gnome"),
        ("O(n^2)".to_owned(), "O(1)".to_owned())
    );
}

#[test]
fn a_flood_fill_with_an_explicit_stack_visits_every_cell() {
    let code = "def fill(img, r0, c0, color):\n    old = img[r0][c0]\n    if old == color:\n        return img\n    stack = [(r0, c0)]\n    while stack:\n        r, c = stack.pop()\n        if 0 <= r < len(img) and 0 <= c < len(img[0]) and img[r][c] == old:\n            img[r][c] = color\n            stack.extend([(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)])\n    return img\n";
    assert_eq!(
        function(code, "fill"),
        ("O(n^2)".to_owned(), "O(n^2)".to_owned())
    );
}

#[test]
fn a_set_of_coordinate_pairs_marks_the_cells_of_a_grid() {
    let code = "def islands(grid):\n    rows, cols = len(grid), len(grid[0])\n    seen = set()\n    def sink(r, c):\n        if r < 0 or c < 0 or r >= rows or c >= cols or grid[r][c] != '1' or (r, c) in seen:\n            return\n        seen.add((r, c))\n        sink(r + 1, c)\n        sink(r - 1, c)\n        sink(r, c + 1)\n        sink(r, c - 1)\n    count = 0\n    for r in range(rows):\n        for c in range(cols):\n            if grid[r][c] == '1' and (r, c) not in seen:\n                sink(r, c)\n                count += 1\n    return count\n";
    assert_eq!(
        function(code, "islands"),
        ("O(n^2)".to_owned(), "O(n^2)".to_owned())
    );
}

#[test]
fn windows_that_tile_the_range_add_up_to_one_pass() {
    let chunks = "def chunks(a, size):\n    out = []\n    for i in range(0, len(a), size):\n        out.append(a[i:i + size])\n    return out\n";
    assert_eq!(function(chunks, "chunks").0, "O(n)");
    let merge = "def msort(a):\n    n = len(a)\n    buf = a[:]\n    width = 1\n    while width < n:\n        for lo in range(0, n, 2 * width):\n            mid = min(lo + width, n)\n            hi = min(lo + 2 * width, n)\n            i, j, k = lo, mid, lo\n            while i < mid and j < hi:\n                if a[i] <= a[j]:\n                    buf[k] = a[i]\n                    i += 1\n                else:\n                    buf[k] = a[j]\n                    j += 1\n                k += 1\n        a, buf = buf, a\n        width *= 2\n    return a\n";
    assert_eq!(function(merge, "msort").0, "O(n log n)");
    // A sieve steps by its outer variable but works on single entries: harmonic, not tiles.
    let sieve = "def sieve(n):\n    p = [True] * (n + 1)\n    for i in range(2, n + 1):\n        for j in range(i * i, n + 1, i):\n            p[j] = False\n    return p\n";
    assert_eq!(function(sieve, "sieve").0, "O(n log n)");
}

#[test]
fn writing_out_each_key_as_often_as_it_was_counted_is_linear() {
    let code = "from collections import Counter\ndef by_frequency(a):\n    counts = Counter(a)\n    order = sorted(counts, key=lambda x: -counts[x])\n    out = []\n    for x in order:\n        out.extend([x] * counts[x])\n    return out\n";
    assert_eq!(function(code, "by_frequency").0, "O(n log n)");
    // Over the input itself (keys repeat) every element writes out its whole count.
    let repeated = code.replace("for x in order:", "for x in a:");
    assert_eq!(function(&repeated, "by_frequency").0, "O(n^2)");
}

//! Memoised functions called from loops, and user classes (data structures written as classes).

use super::{space, time};

#[test]
fn a_memoised_function_called_in_a_loop_computes_its_states_once() {
    let code = "from functools import lru_cache\nn = int(input())\na = list(map(int, input().split()))\n\n@lru_cache(maxsize=None)\ndef best(i):\n    if i >= n:\n        return 0\n    return max(a[i] + best(i + 2), best(i + 1))\n\nfor i in range(n - 1, -1, -1):\n    best(i)\nprint(best(0))\n";
    assert_eq!(time(code), "O(n)");
    let table = "n = int(input())\nmemo = {}\ndef f(i):\n    if i in memo:\n        return memo[i]\n    if i < 2:\n        return i\n    r = f(i - 1) + f(i - 2)\n    memo[i] = r\n    return r\nfor k in range(n):\n    print(f(k))\n";
    assert_eq!(time(table), "O(n)");
}

#[test]
fn a_memo_table_recreated_in_the_loop_is_paid_on_every_call() {
    let code = "n = int(input())\ndef f(i):\n    if i in memo:\n        return memo[i]\n    if i < 2:\n        return i\n    r = f(i - 1) + f(i - 2)\n    memo[i] = r\n    return r\nfor k in range(n):\n    memo = {}\n    print(f(k))\n";
    assert_eq!(time(code), "O(n^2)");
    let cleared = "from functools import cache\nn = int(input())\n@cache\ndef f(i):\n    return 0 if i == 0 else f(i - 1) + 1\nfor k in range(n):\n    f.cache_clear()\n    print(f(k))\n";
    assert_eq!(time(cleared), "O(n^2)");
}

#[test]
fn n_updates_of_a_fenwick_tree_class_cost_n_log_n() {
    let code = "class Fenwick:\n    def __init__(self, n):\n        self.n = n\n        self.tree = [0] * (n + 1)\n\n    def update(self, i, delta):\n        while i <= self.n:\n            self.tree[i] += delta\n            i += i & -i\n\n    def query(self, i):\n        s = 0\n        while i > 0:\n            s += self.tree[i]\n            i -= i & -i\n        return s\n\nn = int(input())\na = list(map(int, input().split()))\nft = Fenwick(n)\nfor i in range(n):\n    ft.update(i + 1, a[i])\nprint(ft.query(n))\n";
    assert_eq!(time(code), "O(n log n)");
    assert_eq!(space(code), "O(n)");
}

#[test]
fn a_union_find_class_with_path_compression_is_amortised() {
    let code = "class DSU:\n    def __init__(self, n):\n        self.parent = list(range(n))\n        self.size = [1] * n\n\n    def find(self, x):\n        if self.parent[x] != x:\n            self.parent[x] = self.find(self.parent[x])\n        return self.parent[x]\n\n    def union(self, a, b):\n        a = self.find(a)\n        b = self.find(b)\n        if a == b:\n            return False\n        if self.size[a] < self.size[b]:\n            a, b = b, a\n        self.parent[b] = a\n        self.size[a] += self.size[b]\n        return True\n\nn, m = map(int, input().split())\nd = DSU(n)\nfor _ in range(m):\n    u, v = map(int, input().split())\n    d.union(u - 1, v - 1)\nprint(len(set(d.find(i) for i in range(n))))\n";
    assert_eq!(time(code), "O(n)");
    assert_eq!(space(code), "O(n)");
}

#[test]
fn queries_on_a_segment_tree_class_cost_log_n_each() {
    let code = "class SegTree:\n    def __init__(self, n):\n        self.size = 1\n        while self.size < n:\n            self.size *= 2\n        self.tree = [0] * (2 * self.size)\n\n    def update(self, i, v):\n        i += self.size\n        self.tree[i] = v\n        i //= 2\n        while i >= 1:\n            self.tree[i] = max(self.tree[2 * i], self.tree[2 * i + 1])\n            i //= 2\n\n    def query(self, l, r):\n        res = 0\n        l += self.size\n        r += self.size\n        while l < r:\n            if l & 1:\n                res = max(res, self.tree[l])\n                l += 1\n            if r & 1:\n                r -= 1\n                res = max(res, self.tree[r])\n            l //= 2\n            r //= 2\n        return res\n\nn = int(input())\na = list(map(int, input().split()))\nst = SegTree(n)\nbest = 0\nfor i in range(n):\n    cur = st.query(0, a[i]) + 1\n    st.update(a[i], cur)\n    best = max(best, cur)\nprint(best)\n";
    assert_eq!(time(code), "O(n log n)");
}

#[test]
fn an_attribute_the_methods_append_to_holds_every_element() {
    let code = "class Bag:\n    def __init__(self):\n        self.items = []\n\n    def add(self, x):\n        self.items.append(x)\n\n    def total(self):\n        return sum(self.items)\n\nn = int(input())\nb = Bag()\nfor i in range(n):\n    b.add(i)\n    print(b.total())\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn methods_of_two_classes_with_the_same_name_keep_their_own_costs() {
    let code = "class Cheap:\n    def run(self, x):\n        return x + 1\n\nclass Costly:\n    def __init__(self, n):\n        self.a = list(range(n))\n\n    def run(self, x):\n        return sum(self.a) + x\n\nn = int(input())\nc = Cheap()\nfor i in range(n):\n    c.run(i)\nk = Costly(n)\nprint(k.run(0))\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn a_size_doubled_until_it_passes_the_bound_is_as_large_as_the_bound() {
    let code = "n = int(input())\np = 1\nwhile p < n:\n    p *= 2\nt = [0] * (2 * p)\nfor i in range(p - 1, 0, -1):\n    t[i] = t[2 * i] + t[2 * i + 1]\n";
    assert_eq!(time(code), "O(n)");
    assert_eq!(space(code), "O(n)");
    let attribute = "class T:\n    def __init__(self, n):\n        self.size = 1\n        while self.size < n:\n            self.size *= 2\n        self.t = [0] * (2 * self.size)\n\nn = int(input())\nx = T(n)\n";
    assert_eq!(space(attribute), "O(n)");
    assert_eq!(time(attribute), "O(n)");
}

#[test]
fn calling_an_instance_runs_its_call_method() {
    let code = "class Solver:\n    def __call__(self):\n        n = int(input())\n        t = 0\n        for i in range(n):\n            t += i\n        print(t)\n\nSolver()()\n";
    assert_eq!(time(code), "O(n)");
    let named = "class Solver:\n    def __call__(self):\n        n = int(input())\n        t = 0\n        for i in range(n):\n            t += i\n        print(t)\n\ns = Solver()\ns()\n";
    assert_eq!(time(named), "O(n)");
}

#[test]
fn a_method_called_on_the_class_costs_that_method() {
    let code = "class Ops:\n    @staticmethod\n    def add(a, b):\n        return a + b\n\nclass Other:\n    @staticmethod\n    def add(a, b):\n        return sum(range(a)) + b\n\nn = int(input())\nt = 0\nfor i in range(n):\n    t = Ops.add(t, i)\nprint(t)\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn a_loop_in_a_method_that_pops_from_the_instance_is_amortised_over_all_calls() {
    let heap = "import heapq\nclass TopK:\n    def __init__(self, k):\n        self.k = k\n        self.h = []\n\n    def push(self, x):\n        heapq.heappush(self.h, x)\n        while len(self.h) > self.k:\n            heapq.heappop(self.h)\n\nn, k = map(int, input().split())\na = list(map(int, input().split()))\nt = TopK(k)\nfor x in a:\n    t.push(x)\nprint(t.h[0])\n";
    assert_eq!(time(heap), "O(n log n)");
    let stack = "class MonoStack:\n    def __init__(self):\n        self.st = []\n\n    def pop(self):\n        return self.st.pop()\n\n    def push(self, x):\n        while self.st and self.st[-1] > x:\n            self.pop()\n        self.st.append(x)\n\nn = int(input())\na = list(map(int, input().split()))\nm = MonoStack()\nfor x in a:\n    m.push(x)\nprint(len(m.st))\n";
    assert_eq!(
        time(stack),
        "O(n)",
        "popping through a method of the instance counts too"
    );
    let drain = "class Q:\n    def __init__(self, a):\n        self.q = list(a)\n\n    def drain(self):\n        t = 0\n        while self.q:\n            t += self.q.pop()\n        return t\n\na = list(map(int, input().split()))\nprint(Q(a).drain())\n";
    assert_eq!(
        time(drain),
        "O(n)",
        "one call may still remove every element"
    );
}

#[test]
fn a_function_that_fills_a_missing_entry_and_returns_it_is_memoised() {
    let code = "n = int(input())\nmemo = [-1] * (n + 1)\ndef f(i):\n    if i < 2:\n        return 1\n    if memo[i] == -1:\n        memo[i] = f(i - 1) + f(i - 2)\n    return memo[i]\nfor i in range(n):\n    print(f(i))\n";
    assert_eq!(time(code), "O(n)");
    let three = "n = int(input())\nmemo = [[[-1] * n for _ in range(n)] for _ in range(n)]\ndef dp(i, j, k):\n    if i < 0 or j < 0 or k < 0:\n        return 0\n    if memo[i][j][k] == -1:\n        memo[i][j][k] = max(dp(i - 1, j, k), dp(i, j - 1, k), dp(i, j, k - 1)) + 1\n    return memo[i][j][k]\nfor i in range(n):\n    dp(i, i, i)\n";
    assert_eq!(time(three), "O(n^3)");
}

#[test]
fn a_memoised_function_over_a_tuple_of_chosen_items_has_a_state_per_subset() {
    let code = "from functools import lru_cache\nn = int(input())\na = list(map(int, input().split()))\n@lru_cache(maxsize=None)\ndef best(used):\n    r = 0\n    for i in range(n):\n        if i not in used:\n            r = max(r, a[i] + best(tuple(sorted(used + (i,)))))\n    return r\nprint(best(()))\n";
    assert_eq!(time(code), "O(2^n)");
}

#[test]
fn a_fenwick_step_that_sets_the_lowest_zero_bit_is_logarithmic() {
    let code = "n = int(input())\nt = [0] * n\ndef add(i, v):\n    while i < n:\n        t[i] += v\n        i |= i + 1\nfor i in range(n):\n    add(i, 1)\n";
    assert_eq!(time(code), "O(n log n)");
}

#[test]
fn assigning_a_whole_slice_copies_the_value_into_the_container() {
    let code = "class F:\n    def __init__(self, a):\n        self.lens = list(a)\n        self.tree = []\n\n    def build(self):\n        self.tree[:] = self.lens\n        for i in range(len(self.tree)):\n            self.tree[i] += 1\n\nf = F(list(map(int, input().split())))\nf.build()\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn an_iterative_find_that_compresses_paths_is_amortised() {
    let halving = "class DSU:\n    def __init__(self, n):\n        self.p = list(range(n))\n        self.r = [0] * n\n\n    def find(self, x):\n        while self.p[x] != x:\n            self.p[x] = self.p[self.p[x]]\n            x = self.p[x]\n        return x\n\n    def union(self, a, b):\n        a, b = self.find(a), self.find(b)\n        if a == b:\n            return\n        if self.r[a] < self.r[b]:\n            a, b = b, a\n        self.p[b] = a\n        if self.r[a] == self.r[b]:\n            self.r[a] += 1\n\nn, m = map(int, input().split())\nd = DSU(n)\nfor _ in range(m):\n    u, v = map(int, input().split())\n    d.union(u, v)\nprint(sum(1 for i in range(n) if d.find(i) == i))\n";
    assert_eq!(time(halving), "O(n)");
    let two_pass = "n, m = map(int, input().split())\np = list(range(n))\ndef find(x):\n    root = x\n    while p[root] != root:\n        root = p[root]\n    while p[x] != root:\n        nxt = p[x]\n        p[x] = root\n        x = nxt\n    return root\nfor _ in range(m):\n    u, v = map(int, input().split())\n    a, b = find(u), find(v)\n    if a != b:\n        p[a] = b\nprint(len({find(i) for i in range(n)}))\n";
    assert_eq!(time(two_pass), "O(n)");
    let plain = "n = int(input())\np = list(range(n))\ndef find(x):\n    while p[x] != x:\n        x = p[x]\n    return x\nfor i in range(n):\n    print(find(i))\n";
    assert_eq!(
        time(plain),
        "O(n^2)",
        "without compression a chain can be walked every time"
    );
}

#[test]
fn a_memoised_flag_parameter_adds_no_dimension() {
    let code = "from functools import lru_cache\nn = int(input())\na = list(map(int, input().split()))\n@lru_cache(None)\ndef best(i, taken):\n    if i == n:\n        return 0\n    skip = best(i + 1, 0)\n    if taken:\n        return skip\n    return max(skip, a[i] + best(i + 1, 1))\nprint(best(0, 0))\n";
    assert_eq!(time(code), "O(n)");
    let toggled = "from functools import lru_cache\nn = int(input())\na = list(map(int, input().split()))\n@lru_cache(None)\ndef play(i, turn):\n    if i == n:\n        return 0\n    return max(a[i] - play(i + 1, not turn), -play(i + 1, 1 - turn))\nprint(play(0, True))\n";
    assert_eq!(time(toggled), "O(n)");
    let two = "from functools import lru_cache\nn = int(input())\n@lru_cache(None)\ndef f(i, j):\n    if i == 0 or j == 0:\n        return 1\n    return f(i - 1, j) + f(i, j - 1)\nprint(f(n, n))\n";
    assert_eq!(time(two), "O(n^2)", "two indices still make n^2 states");
}

#[test]
fn methods_are_listed_with_their_class() {
    let code = "class A:\n    def run(self, n):\n        return n\n\nclass B:\n    def run(self, n):\n        return sum(range(n))\n\nprint(A().run(1), B().run(int(input())))\n";
    let names: Vec<String> = super::analyse(code)
        .functions
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert!(names.contains(&"A.run".to_owned()), "{names:?}");
    assert!(names.contains(&"B.run".to_owned()), "{names:?}");
}

#[test]
fn a_bare_name_calls_the_function_not_a_method_of_the_same_name() {
    let code = "def solve(n):\n    return sum(range(n))\n\nclass A:\n    def solve(self):\n        return 1\n\nn = int(input())\nprint(solve(n))\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn a_method_called_on_a_value_of_unknown_class_is_the_user_method() {
    let code = "class Seg:\n    def __init__(self, n):\n        self.t = [0] * n\n\n    def total(self, l, r):\n        s = 0\n        for i in range(l, r):\n            s += self.t[i]\n        return s\n\ndef run(st, qs):\n    for l, r in qs:\n        print(st.total(l, r))\n\nn = int(input())\nqs = [tuple(map(int, input().split())) for _ in range(n)]\nrun(Seg(n), qs)\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn appending_to_an_attribute_of_an_instance_grows_it() {
    let code = "class Bag:\n    def __init__(self):\n        self.items = []\n\n    def total(self):\n        return sum(self.items)\n\nn = int(input())\nb = Bag()\nfor i in range(n):\n    b.items.append(i)\nprint(b.total())\nfor i in range(n):\n    print(b.total())\n";
    assert_eq!(time(code), "O(n^2)");
    let spread = "class Node:\n    def __init__(self):\n        self.kids = []\n\n    def degree(self):\n        return len(self.kids)\n\n    def total(self):\n        return sum(self.kids)\n\nn = int(input())\nnodes = [Node() for _ in range(n)]\nfor _ in range(n - 1):\n    u, v = map(int, input().split())\n    nodes[u].kids.append(v)\n    nodes[v].kids.append(u)\nbest = 0\nfor node in nodes:\n    best = max(best, node.total())\nprint(best)\n";
    assert_eq!(
        time(spread),
        "O(n)",
        "appends spread over instances in a list add up to n"
    );
}

#[test]
fn a_memo_kept_by_an_instance_is_paid_again_for_each_instance() {
    let code = "class S:\n    def __init__(self):\n        self.memo = {}\n\n    def f(self, i):\n        if i in self.memo:\n            return self.memo[i]\n        r = 0 if i == 0 else self.f(i - 1) + 1\n        self.memo[i] = r\n        return r\n\nn = int(input())\nfor k in range(n):\n    print(S().f(n))\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn a_recursive_segment_tree_query_visits_log_n_nodes() {
    let code = "class SegmentTree:\n    def __init__(self, a):\n        self.n = len(a)\n        self.t = [0] * (4 * self.n)\n\n    def query(self, v, l, r, ql, qr):\n        if qr < l or r < ql:\n            return 0\n        if ql <= l and r <= qr:\n            return self.t[v]\n        m = (l + r) // 2\n        return self.query(2 * v, l, m, ql, qr) + self.query(2 * v + 1, m + 1, r, ql, qr)\n";
    let a = super::analyse(code);
    let query = a
        .functions
        .iter()
        .find(|f| f.name == "SegmentTree.query")
        .expect("the query method is listed");
    assert_eq!(query.time_complexity, "O(log n)");
    // Without the pruning guards every node is visited.
    let full = "def walk(v, l, r):\n    if l == r:\n        return 1\n    m = (l + r) // 2\n    return walk(2 * v, l, m) + walk(2 * v + 1, m + 1, r)\n";
    assert_eq!(time(full), "O(n)");
}

#[test]
fn path_compression_is_not_mistaken_for_a_memo() {
    let code = "n = int(input())\np = list(range(n))\ndef find(x):\n    if p[x] != x:\n        p[x] = find(p[x])\n    return p[x]\nfor i in range(n):\n    a, b = map(int, input().split())\n    p[find(a)] = find(b)\nprint(len({find(i) for i in range(n)}))\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn an_instance_passed_to_a_function_keeps_its_methods() {
    let code = "class BIT:\n    def __init__(self, n):\n        self.n = n\n        self.t = [0] * (n + 1)\n\n    def add(self, i, v):\n        for j in range(self.n):\n            self.t[j] += v\n\n    def sum(self, i):\n        s = 0\n        while i > 0:\n            s += self.t[i]\n            i -= i & -i\n        return s\n\ndef count_inversions(a, bit):\n    inv = 0\n    for i, x in enumerate(a):\n        inv += i - bit.sum(x)\n        bit.add(x, 1)\n    return inv\n\nn = int(input())\na = list(map(int, input().split()))\nprint(count_inversions(a, BIT(n)))\n";
    assert_eq!(
        time(code),
        "O(n^2)",
        "`bit.add` is the class's linear method, not a set's add"
    );
}

#[test]
fn a_memo_on_a_halving_recursion_costs_no_more_than_the_recursion() {
    let code = "n = int(input())\nd = {1: [1]}\ndef f(k):\n    if k in d:\n        return d[k]\n    head = [1] * k\n    d[k] = head + f(k // 2)\n    return d[k]\nprint(len(f(n)))\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn a_subclass_inherits_the_attributes_its_base_sets() {
    let code = "class Base:\n    def __init__(self, n):\n        self.a = list(range(n))\n\nclass Child(Base):\n    def total(self):\n        return sum(self.a)\n\nn = int(input())\nc = Child(n)\nfor i in range(n):\n    print(c.total())\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn a_memo_list_counts_the_states_by_its_size() {
    let code = "s = input()\nn = len(s)\nmemo = [[-1] * 26 for _ in range(n + 1)]\ndef f(i, last):\n    if i == n:\n        return 0\n    if memo[i][last] != -1:\n        return memo[i][last]\n    best = 0\n    for c in range(26):\n        if c != last:\n            best = max(best, f(i + 1, c) + (ord(s[i]) - 97 == c))\n    memo[i][last] = best\n    return best\nprint(f(0, 0))\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn len_of_an_instance_runs_its_dunder_len() {
    let code = "class Box:\n    def __init__(self, xs):\n        self.items = list(xs)\n    def __len__(self):\n        return len(self.items)\na = list(map(int, input().split()))\nb = Box(a)\nfor i in range(len(a)):\n    for j in range(len(b)):\n        print(i, j)\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn a_memo_passed_as_an_argument_is_not_a_state_and_outlives_the_call_when_it_is_global() {
    let shared = "n = int(input())\ndef f(i, memo):\n    if i in memo:\n        return memo[i]\n    r = 0\n    for j in range(i):\n        r += f(j, memo)\n    memo[i] = r + 1\n    return memo[i]\nmemo = {}\nfor i in range(n):\n    print(f(i, memo))\n";
    assert_eq!(time(shared), "O(n^2)");
    let fresh = "n = int(input())\ndef f(i, memo):\n    if i in memo:\n        return memo[i]\n    r = 0\n    for j in range(i):\n        r += f(j, memo)\n    memo[i] = r + 1\n    return memo[i]\nfor i in range(n):\n    print(f(i, {}))\n";
    assert_eq!(time(fresh), "O(n^3)", "a fresh table per call starts empty");
}

#[test]
fn a_list_in_the_class_body_that_a_method_adds_to_is_input_sized() {
    let code = "class S:\n    items = []\n    def add(self, n):\n        for i in range(n):\n            self.items.append(i)\nn = int(input())\ns = S()\ns.add(n)\nc = 0\nfor p in s.items:\n    for q in s.items:\n        c += 1\nprint(c)\n";
    assert_eq!(time(code), "O(n^2)");
    let fixed = "class S:\n    items = [1, 2, 3]\n    def total(self):\n        return sum(self.items)\nn = int(input())\ns = S()\nfor i in range(n):\n    print(s.total())\n";
    assert_eq!(time(fixed), "O(n)");
    let global = "out = []\nclass S:\n    def run(self, n):\n        for i in range(n):\n            out.append(i)\nn = int(input())\ns = S()\ns.run(n)\nc = 0\nfor p in out:\n    for q in out:\n        c += 1\nprint(c)\n";
    assert_eq!(
        time(global),
        "O(n^2)",
        "a method that adds to a module-level list"
    );
}

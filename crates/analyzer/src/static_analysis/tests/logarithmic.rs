//! Logarithmic factors: digits and bits of numbers, Euclid, Fenwick trees, sorting calls.

use super::{space, time};

#[test]
fn midpoints_written_as_offsets_or_rounded_are_bisection() {
    let offset = "n, k = map(int, input().split())\nlo, hi = 0, n\nwhile lo <= hi:\n    mid = lo + (hi - lo) // 2\n    if mid * mid > k:\n        hi = mid - 1\n    else:\n        lo = mid + 1\nprint(lo)\n";
    assert_eq!(time(offset), "O(log n)");
    let rounded = "import math\nn = int(input())\nl, r = 1, n\nwhile True:\n    mid = math.floor((l + r) / 2)\n    if mid * mid == n:\n        break\n    elif mid * mid > n:\n        r = mid\n    else:\n        l = mid\n";
    assert_eq!(time(rounded), "O(log n)");
}

#[test]
fn doubling_written_as_a_sum_is_geometric() {
    let code = "n, k = map(int, input().split())\nw = 1\nwhile k >= w and n >= 1:\n    k -= w\n    n -= 1\n    w = w + w + 1\nprint(n)\n";
    assert_eq!(time(code), "O(log n)");
    let scaled = "n, k = map(int, input().split())\nc = 1\nwhile n > 0 and k > c:\n    n -= 1\n    c = 2 * c + 1\nprint(n)\n";
    assert_eq!(time(scaled), "O(log n)");
}

#[test]
fn rounded_halving_and_clearing_bits_are_logarithmic() {
    let floor = "from math import floor\na = int(input())\nwhile a:\n    print(a % 2)\n    a = floor(a / 2)\n";
    assert_eq!(time(floor), "O(log n)");
    let kernighan = "a = int(input())\nc = 0\nwhile a:\n    a &= a - 1\n    c += 1\nprint(c)\n";
    assert_eq!(time(kernighan), "O(log n)");
}

#[test]
fn a_step_through_the_digits_of_a_number_is_logarithmic() {
    let code = "l, r = map(int, input().split())\nl = bin(l)[2:]\nr = bin(r)[2:]\ni = 1\nwhile l[i] == r[i]:\n    i += 1\nprint(i)\n";
    assert_eq!(time(code), "O(log n)");
    let digits = "n = int(input())\nm = len(str(n))\ni = 0\nwhile i < m:\n    i += 1\nprint(i)\n";
    assert_eq!(time(digits), "O(log n)");
}

#[test]
fn a_step_through_a_fixed_table_is_constant() {
    let code = "a = [9, 189, 2889, 38889]\nn = int(input())\nx = 0\nwhile a[x] < n:\n    x += 1\nprint(x)\n";
    assert_eq!(time(code), "O(1)");
}

#[test]
fn an_unbound_method_call_sorts_its_first_argument() {
    let code = "n = int(input())\na = list(map(int, input().split()))\nlist.sort(a)\nprint(a[0])\n";
    assert_eq!(time(code), "O(n log n)");
}

#[test]
fn fenwick_methods_on_an_instance_shadow_builtin_methods() {
    let code = "class BIT:\n    def __init__(self, n):\n        self.n = n\n        self.data = [0] * (n + 1)\n\n    def add(self, i, x):\n        while i <= self.n:\n            self.data[i] += x\n            i += i & -i\n\n    def get(self, i):\n        s = 0\n        while i > 0:\n            s += self.data[i]\n            i -= i & -i\n        return s\n\nn = int(input())\nbit = BIT(n)\nfor v in map(int, input().split()):\n    bit.add(v, 1)\n    print(bit.get(v))\n";
    assert_eq!(time(code), "O(n log n)");
}

#[test]
fn the_digits_of_a_number_passed_to_a_function_are_logarithmic() {
    let code = "def ok(x, s):\n    return x - sum(map(int, str(x))) >= s\n\nn, s = map(int, input().split())\nlo, hi = 0, n\nwhile lo < hi:\n    mid = (lo + hi) // 2\n    if ok(mid, s):\n        hi = mid\n    else:\n        lo = mid + 1\nprint(n - lo + 1)\n";
    assert_eq!(time(code), "O(log^2 n)");
}

#[test]
fn a_counter_is_bounded_by_the_loop_that_counts() {
    let bits = "x = int(input())\nb = 0\nwhile x:\n    b += 1\n    x >>= 1\nr = 0\nwhile b:\n    r = 2 * r + 1\n    b -= 1\nprint(r)\n";
    assert_eq!(time(bits), "O(log n)");
    let reset = "n = int(input())\na = list(map(int, input().split()))\nfor i in range(n):\n    j = 0\n    while j < n and a[j] < a[i]:\n        j += 1\n    while j > 0:\n        j -= 1\n";
    assert_eq!(time(reset), "O(n^2)");
}

#[test]
fn a_bare_name_inside_a_method_is_not_the_method() {
    let code = "class Read:\n    @staticmethod\n    def int():\n        return int(input())\n\nn = Read.int()\nprint(n)\n";
    assert_eq!(time(code), "O(1)");
}

#[test]
fn euclid_recursion_on_a_remainder_is_logarithmic() {
    let code = "def gcd(a, b):\n    if b == 0:\n        return a\n    return gcd(b, a % b)\n\na, b = map(int, input().split())\nprint(gcd(a, b))\n";
    assert_eq!(time(code), "O(log n)");
}

#[test]
fn constructing_an_object_runs_its_init() {
    let code = "class BIT:\n    def __init__(self, n):\n        self.data = [0] * (n + 1)\n        for i in range(1, n + 1):\n            self.data[i] = i\n\nn = int(input())\nb = BIT(n)\nprint(1)\n";
    assert_eq!(time(code), "O(n)");
    let recursive = "class Node:\n    def __init__(self, d):\n        self.kids = []\n        if d > 0:\n            self.kids.append(Node(d - 1))\n\nn = int(input())\nroot = Node(n)\n";
    assert_eq!(time(recursive), "O(n)");
}

#[test]
fn a_while_loop_left_once_a_doubling_value_passes_a_bound_is_logarithmic() {
    let code = "n, k = map(int, input().split())\nl, cnt = 1, 3\nwhile n:\n    if l <= k < l + cnt:\n        print(n)\n        break\n    l = l + cnt\n    cnt = 2 * cnt + 1\n    n -= 1\n";
    assert_eq!(time(code), "O(log n)");
}

#[test]
fn a_number_capped_by_a_small_literal_is_constant() {
    let inside = "n = int(input())\nt = 0\nif n <= 60:\n    for i in range(n):\n        t += i * i\nprint(t)\n";
    assert_eq!(time(inside), "O(1)");
    let after = "q = int(input())\nfor _ in range(q):\n    n, k = map(int, input().split())\n    if n > 31:\n        print(n - 1)\n        continue\n    a = [0]\n    for i in range(n):\n        a.append(a[-1] * 4 + 1)\n    print(a[n] >= k)\n";
    assert_eq!(time(after), "O(1)");
    let uncapped = "n = int(input())\nif n > 60:\n    for i in range(n):\n        print(i)\n";
    assert_eq!(time(uncapped), "O(n)");
}

#[test]
fn the_minimum_with_a_small_literal_is_constant() {
    let code = "n = int(input())\nfor i in range(min(n, 60)):\n    print(i)\n";
    assert_eq!(time(code), "O(1)");
}

#[test]
fn a_function_called_with_a_small_number_costs_that_much() {
    let code = "def digits_before(x):\n    t = 0\n    for i in range(1, x + 1):\n        t += 9 * i\n    return t\n\nk = int(input())\nfor length in range(1, 20):\n    if digits_before(length) >= k:\n        print(length)\n        break\n";
    assert_eq!(time(code), "O(1)");
    let recursive = "def rec(i, n):\n    if i == n:\n        return 0\n    s = 0\n    for j in range(i):\n        s += j\n    return s + rec(i + 1, n)\n\nn = int(input())\nprint(rec(0, n))\n";
    assert_eq!(time(recursive), "O(n^2)");
}

#[test]
fn loops_over_the_bits_of_a_number_are_logarithmic() {
    let length = "n = int(input())\nc = 0\nfor i in range(n.bit_length()):\n    c += i\nprint(c)\n";
    assert_eq!(time(length), "O(log n)");
    let formatted =
        "n = int(input())\nc = 0\nfor d in format(n, 'b'):\n    c += d == '1'\nprint(c)\n";
    assert_eq!(time(formatted), "O(log n)");
}

#[test]
fn a_halving_through_a_named_variable_is_still_a_halving() {
    // A heap's sift-up: `i = p` after `p = (i - 1) // 2`.
    let sift = "class MinHeap:\n    def __init__(self):\n        self.a = []\n    def push(self, x):\n        self.a.append(x)\n        i = len(self.a) - 1\n        while i > 0:\n            p = (i - 1) // 2\n            if self.a[p] <= self.a[i]:\n                break\n            self.a[p], self.a[i] = self.a[i], self.a[p]\n            i = p\nn = int(input())\nh = MinHeap()\nfor x in map(int, input().split()):\n    h.push(x)\nprint(h.a[0])\n";
    assert_eq!(time(sift), "O(n log n)");
    // Recursion on `half = n // 2`.
    let power = "def power(x, n):\n    if n == 0:\n        return 1\n    half = n // 2\n    y = power(x, half)\n    return y * y * (x if n % 2 else 1)\n";
    assert_eq!(time(power), "O(log n)");
    // A named step that does not shrink stays linear.
    let step =
        "def count(n):\n    if n == 0:\n        return 0\n    k = n - 1\n    return count(k) + 1\n";
    assert_eq!(time(step), "O(n)");
}

#[test]
fn a_product_reduced_modulo_is_not_geometric_growth() {
    let head = "n = int(input())\na = list(map(int, input().split()))\nM = 10**9 + 7\nx = 1\npt = n - 1\nwhile pt >= 0 and a[pt] > 0:\n";
    for update in [
        "    x = x * a[pt] % M\n",
        "    x = (x * a[pt]) % M\n",
        "    x *= a[pt]\n    x %= M\n",
    ] {
        let code = format!("{head}{update}    pt -= 1\nprint(x)\n");
        assert_eq!(time(&code), "O(n)", "{code}");
    }
    let euclid = "a, b = map(int, input().split())\nwhile b:\n    a, b = b, a % b\nprint(a)\n";
    assert_eq!(time(euclid), "O(log n)");
}

#[test]
fn a_rounded_midpoint_halves_a_recursion() {
    let tree = "n = int(input())\na = list(map(int, input().split()))\nt = [0] * (4 * n)\ndef build(v, l, r):\n    if l == r:\n        t[v] = a[l]\n        return\n    mid = int((l + r) / 2)\n    build(2 * v, l, mid)\n    build(2 * v + 1, mid + 1, r)\n    t[v] = t[2 * v] + t[2 * v + 1]\nbuild(1, 0, n - 1)\nprint(t[1])\n";
    assert_eq!(time(tree), "O(n)");
    for rounded in ["round((lo + hi) / 2)", "math.floor((lo + hi) / 2)"] {
        let search = format!(
            "import math\na = list(map(int, input().split()))\nx = int(input())\ndef search(lo, hi):\n    if lo > hi:\n        return -1\n    p = {rounded}\n    if a[p] == x:\n        return p\n    if a[p] < x:\n        return search(p + 1, hi)\n    return search(lo, p - 1)\nprint(search(0, len(a) - 1))\n"
        );
        assert_eq!(time(&search), "O(log n)", "{search}");
    }
}

#[test]
fn a_remainder_of_a_sum_is_a_circular_step_not_a_halving() {
    let circle = "n = int(input())\na = list(map(int, input().split()))\ni = 0\ncnt = 0\nwhile cnt < n:\n    a[i] -= 1\n    i = (i + 1) % n\n    cnt += 1\nprint(i)\n";
    assert_eq!(time(circle), "O(n)");
    let stepped = circle.replace("i = (i + 1) % n", "i += 1\n    i %= n");
    assert_eq!(time(&stepped), "O(n)", "{stepped}");
    let hash = "s = input()\nh = 0\nj = 0\nwhile j < len(s):\n    h = (h * 31 + ord(s[j])) % 1000000007\n    j += 1\nprint(h)\n";
    assert_eq!(time(hash), "O(n)");
}

#[test]
fn a_table_of_powers_built_until_a_bound_is_logarithmic() {
    let code = "n = int(input())\np = [1]\nwhile p[-1] < n:\n    p.append(p[-1] * 2)\nfor x in p:\n    print(x)\n";
    assert_eq!(time(code), "O(log n)");
    assert_eq!(space(code), "O(log n)");
    let worklist = "n = int(input())\np = [n]\nwhile p[-1] > 0:\n    p.append(p[-1] - 1)\n";
    assert_eq!(time(worklist), "O(n)");
}

#[test]
fn a_table_of_powers_built_to_a_length_is_linear() {
    let code = "n = int(input())\np = [1]\nwhile len(p) < n:\n    p.append(p[-1] * 2)\nprint(p)\n";
    assert_eq!(time(code), "O(n)");
}

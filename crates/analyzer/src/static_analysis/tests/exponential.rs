//! Exponential work (subsets, bitmasks), what counts as reading, and what storage grows.

use super::{space, time};

#[test]
fn a_power_with_an_input_sized_exponent_bounds_an_exponential_loop() {
    let code = "n, m = map(int, input().split())\nbest = 0\nfor mask in range(n ** m):\n    best = max(best, mask % 7)\nprint(best)\n";
    assert_eq!(time(code), "O(2^n)");
    let shifted =
        "n, k = map(int, input().split())\nc = 0\nfor x in range(k << n):\n    c += 1\nprint(c)\n";
    assert_eq!(time(shifted), "O(2^n)");
}

#[test]
fn a_memoised_function_over_a_bitmask_has_exponentially_many_states() {
    let code = "from functools import lru_cache\nn = int(input())\nw = list(map(int, input().split()))\n@lru_cache(None)\ndef best(mask):\n    r = 0\n    for i in range(n):\n        if not mask & (1 << i):\n            r = max(r, w[i] + best(mask | (1 << i)))\n    return r\nprint(best(0))\n";
    assert_eq!(time(code), "O(2^n)");
    // The same shape keyed by an index is polynomial.
    let by_index = "from functools import lru_cache\nn = int(input())\nw = list(map(int, input().split()))\n@lru_cache(None)\ndef best(i):\n    if i >= n:\n        return 0\n    return max(best(i + 1), w[i] + best(i + 2))\nprint(best(0))\n";
    assert_eq!(time(by_index), "O(n)");
}

#[test]
fn unpacking_what_was_read_into_a_list_is_reading() {
    let code = "n = int(input())\nfor i in range(n):\n    l, r = [*map(int, input().split())]\n    print(l + r)\n";
    assert_eq!(time(code), "O(1)");
    // Processing the unpacked list still costs its length.
    let summed = "a = [*map(int, input().split())]\nprint(sum(a))\n";
    assert_eq!(time(summed), "O(n)");
}

#[test]
fn hashing_what_was_read_into_a_set_is_work_but_storing_it_is_not() {
    let hashed = "n = int(input())\na = set(map(int, input().split()))\nprint(len(a))\n";
    assert_eq!(time(hashed), "O(n)");
    let counted = "s = input()\nfrom collections import Counter\nc = Counter(s)\nprint(c['a'])\n";
    assert_eq!(time(counted), "O(n)");
    let stored = "a = list(map(int, input().split()))\nprint(a[0] + a[1])\n";
    assert_eq!(time(stored), "O(1)");
}

#[test]
fn a_collection_extended_by_a_copy_of_itself_in_a_loop_doubles() {
    let code = "def subsets(nums):\n    res = [[]]\n    for x in nums:\n        res += [s + [x] for s in res]\n    return res\n";
    assert_eq!(time(code), "O(2^n)");
    assert_eq!(space(code), "O(2^n)");
    let assigned = "def subsets(nums):\n    res = [[]]\n    for x in nums:\n        res = res + [s + [x] for s in res]\n    return res\n";
    assert_eq!(time(assigned), "O(2^n)");
    // Filtering a list by a comprehension over itself only shrinks it.
    let filtered = "a = list(map(int, input().split()))\nwhile a:\n    k = a.pop()\n    a = [x for x in a if x % k]\nprint(len(a))\n";
    assert_eq!(time(filtered), "O(n^2)");
}

#[test]
fn storing_into_a_table_does_not_grow_it() {
    let code = "def matmul(A, B):\n    n = len(A)\n    C = [[0] * n for _ in range(n)]\n    for i in range(n):\n        for j in range(n):\n            for k in range(n):\n                C[i][j] += A[i][k] * B[k][j]\n    return C\n";
    assert_eq!(time(code), "O(n^3)");
    assert_eq!(space(code), "O(n^2)");
    // A dictionary does gain a key per store.
    let counts = "a = list(map(int, input().split()))\nd = {}\nfor x in a:\n    d[x] = d.get(x, 0) + 1\nprint(len(d))\n";
    assert_eq!(space(counts), "O(n)");
}

#[test]
fn recursion_on_a_slice_copies_it_on_every_call() {
    let code = "def rev(s):\n    if not s:\n        return s\n    return rev(s[1:]) + s[0]\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn a_sieve_stepping_by_a_while_counter_is_harmonic() {
    let code = "def sieve(n):\n    p = [True] * (n + 1)\n    i = 2\n    while i * i <= n:\n        if p[i]:\n            for j in range(i * i, n + 1, i):\n                p[j] = False\n        i += 1\n    return p\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn a_nested_function_sees_its_enclosing_functions_variables() {
    let code = "def main():\n    n = int(input())\n    full = 1 << n\n    def solve():\n        c = 0\n        for mask in range(full):\n            c += 1\n        return c\n    print(solve())\nmain()\n";
    assert_eq!(time(code), "O(2^n)");
}

#[test]
fn chaining_combinations_of_every_size_is_the_power_set() {
    let code = "from itertools import chain, combinations\ndef powerset(xs):\n    return list(chain.from_iterable(combinations(xs, k) for k in range(len(xs) + 1)))\n";
    assert_eq!(time(code), "O(2^n)");
    let joined = "from itertools import chain\na = list(map(int, input().split()))\nb = list(map(int, input().split()))\nprint(sum(chain(a, b)))\n";
    assert_eq!(time(joined), "O(n)");
}

#[test]
fn dijkstra_over_a_graph_parameter_walks_each_row_once() {
    let code = "import heapq\ndef dijkstra(graph, src):\n    dist = {src: 0}\n    pq = [(0, src)]\n    while pq:\n        d, u = heapq.heappop(pq)\n        if d > dist.get(u, float('inf')):\n            continue\n        for v, w in graph[u]:\n            nd = d + w\n            if nd < dist.get(v, float('inf')):\n                dist[v] = nd\n                heapq.heappush(pq, (nd, v))\n    return dist\n";
    assert_eq!(time(code), "O(n log n)");
}

#[test]
fn backtracking_that_clears_its_marks_explores_every_ordering() {
    let permutations = "def permute(nums):\n    res = []\n    def go(path, used):\n        if len(path) == len(nums):\n            res.append(path[:])\n            return\n        for i in range(len(nums)):\n            if not used[i]:\n                used[i] = True\n                path.append(nums[i])\n                go(path, used)\n                path.pop()\n                used[i] = False\n    go([], [False] * len(nums))\n    return res\n";
    assert_eq!(time(permutations), "O(n!)");
    let queens = "def queens(n):\n    cols = set()\n    count = 0\n    def place(r):\n        nonlocal count\n        if r == n:\n            count += 1\n            return\n        for c in range(n):\n            if c in cols:\n                continue\n            cols.add(c)\n            place(r + 1)\n            cols.remove(c)\n    place(0)\n    return count\n";
    assert_eq!(time(queens), "O(n!)");
    // A traversal that keeps its marks visits each node once.
    let dfs = "def dfs(g, v, seen):\n    seen[v] = True\n    for u in g[v]:\n        if not seen[u]:\n            dfs(g, u, seen)\n";
    assert_eq!(time(dfs), "O(n)");
}

#[test]
fn a_while_loop_counting_down_read_test_cases_is_one_case() {
    let code = "t = int(input())\nwhile t:\n    t -= 1\n    n = int(input())\n    a = list(map(int, input().split()))\n    print(max(a))\n";
    assert_eq!(time(code), "O(n)");
    // Counting down a number that is not a count of cases is a plain loop.
    let plain = "t = int(input())\nwhile t > 0:\n    t -= 1\n    print(t)\n";
    assert_eq!(time(plain), "O(n)");
    let nested = "t = int(input())\nwhile t:\n    t -= 1\n    n = int(input())\n    a = list(map(int, input().split()))\n    for x in a:\n        print(a.count(x))\n";
    assert_eq!(time(nested), "O(n^2)");
}

#[test]
fn a_while_loop_counting_up_to_a_power_of_an_input_size_is_exponential() {
    let code = "n = int(input())\na = list(map(int, input().split()))\nmask = 0\nc = 0\nwhile mask < (1 << n):\n    if sum(a[i] for i in range(n) if mask >> i & 1) == 0:\n        c += 1\n    mask += 1\nprint(c)\n";
    assert_eq!(time(code), "O(2^n)");
    // A loop whose own variable is the exponent walks the bits of the bound.
    let bits = "n = int(input())\nk = 0\nwhile (1 << k) < n:\n    k += 1\nprint(k)\n";
    assert_eq!(time(bits), "O(log n)");
    // A power of the number of digits is only as large as the number.
    let digits =
        "n = int(input())\nd = len(str(n))\nx = 1\nwhile x < 10 ** d:\n    x += 1\nprint(x)\n";
    assert_eq!(time(digits), "O(n)");
    let bits = "n = int(input())\nx = 0\nwhile x < 1 << n.bit_length():\n    x += 1\nprint(x)\n";
    assert_eq!(time(bits), "O(n)");
    let inline = "n = int(input())\nx = 0\nwhile x < 10 ** len(str(n)):\n    x += 1\nprint(x)\n";
    assert_eq!(time(inline), "O(n)");
    // The length of a string read is input-sized: a power of it is exponential.
    let length = "s = input()\nx = 0\nwhile x < 10 ** len(s):\n    x += 1\nprint(x)\n";
    assert_eq!(time(length), "O(2^n)");
}

#[test]
fn extending_a_collection_by_a_copy_of_itself_doubles() {
    let code = "def subsets(nums):\n    res = [[]]\n    for x in nums:\n        res.extend([r + [x] for r in res])\n    return res\n";
    assert_eq!(time(code), "O(2^n)");
    assert_eq!(space(code), "O(2^n)");
    // Extending by something else only adds its length.
    let other = "def f(rows):\n    res = []\n    for r in rows:\n        res.extend([x * 2 for x in r])\n    return res\n";
    assert_eq!(time(other), "O(n^2)");
}

#[test]
fn appending_to_a_collection_while_walking_a_snapshot_of_it_doubles() {
    let indexed = "def subsets(nums):\n    res = [[]]\n    for x in nums:\n        for i in range(len(res)):\n            res.append(res[i] + [x])\n    return res\n";
    assert_eq!(time(indexed), "O(2^n)");
    assert_eq!(space(indexed), "O(2^n)");
    let copied = "def subsets(nums):\n    res = [[]]\n    for x in nums:\n        for r in res[:]:\n            res.append(r + [x])\n    return res\n";
    assert_eq!(time(copied), "O(2^n)");
    // Done once, outside a loop, it only doubles once.
    let once = "a = list(map(int, input().split()))\nfor i in range(len(a)):\n    a.append(a[i] * 2)\nprint(sum(a))\n";
    assert_eq!(time(once), "O(n)");
}

#[test]
fn a_comprehension_pairing_a_collection_with_two_choices_doubles_it() {
    let code = "n = int(input())\nres = [[]]\nfor _ in range(n):\n    res = [a + [b] for a in res for b in (0, 1)]\nprint(len(res))\n";
    assert_eq!(time(code), "O(2^n)");
    assert_eq!(space(code), "O(2^n)");
    // One choice per element is a map, not a doubling.
    let mapped = "n = int(input())\nres = [[]]\nfor _ in range(n):\n    res = [a + [b] for a in res for b in [0]]\nprint(len(res))\n";
    assert_ne!(time(mapped), "O(2^n)");
}

#[test]
fn a_worklist_pushing_two_extended_items_per_item_is_exponential() {
    let queue = "from collections import deque\nn = int(input())\nq = deque([''])\nout = []\nwhile q:\n    s = q.popleft()\n    if len(s) == n:\n        out.append(s)\n        continue\n    q.append(s + '0')\n    q.append(s + '1')\nprint(len(out))\n";
    assert_eq!(time(queue), "O(2^n)");
    let looped = "n = int(input())\nq = ['']\ni = 0\nwhile i < len(q):\n    s = q[i]\n    i += 1\n    if len(s) < n:\n        for ch in 'abc':\n            q.append(s + ch)\nprint(len(q))\n";
    assert_eq!(time(looped), "O(2^n)");
    // A path extended by each node's value is bounded by the nodes.
    let paths = "def paths(root):\n    out = []\n    st = [(root, [root.val])]\n    while st:\n        node, path = st.pop()\n        if not node.left and not node.right:\n            out.append(path)\n        if node.left:\n            st.append((node.left, path + [node.left.val]))\n        if node.right:\n            st.append((node.right, path + [node.right.val]))\n    return out\n";
    assert_eq!(time(paths), "O(n)");
}

#[test]
fn recursion_leaving_out_each_element_in_turn_builds_every_permutation() {
    let code = "def perms(s):\n    if len(s) <= 1:\n        return [s]\n    out = []\n    for i in range(len(s)):\n        for p in perms(s[:i] + s[i+1:]):\n            out.append(s[i] + p)\n    return out\nprint(perms(input()))\n";
    assert_eq!(time(code), "O(n!)");
    let named = "res = []\ndef bt(path, rest):\n    if not rest:\n        res.append(path)\n        return\n    for i in range(len(rest)):\n        bt(path + [rest[i]], rest[:i] + rest[i + 1:])\nbt([], list(map(int, input().split())))\nprint(len(res))\n";
    assert_eq!(time(named), "O(n!)");
    // Recursing on a suffix in a loop only chooses where to cut: 2^n.
    let suffix = "def wb(s, words):\n    if not s:\n        return True\n    for i in range(1, len(s) + 1):\n        if s[:i] in words and wb(s[i:], words):\n            return True\n    return False\nprint(wb(input(), set(input().split())))\n";
    assert_eq!(time(suffix), "O(2^n)");
}

#[test]
fn returning_two_copies_of_the_recursive_result_doubles_it_per_level() {
    let gray = "def gray(n):\n    if n == 0:\n        return ['']\n    prev = gray(n - 1)\n    return ['0' + s for s in prev] + ['1' + s for s in reversed(prev)]\nprint(gray(int(input())))\n";
    assert_eq!(time(gray), "O(2^n)");
    assert_eq!(space(gray), "O(2^n)");
    let subsets = "def subsets(a):\n    if not a:\n        return [[]]\n    rest = subsets(a[1:])\n    return rest + [[a[0]] + r for r in rest]\nprint(subsets(list(map(int, input().split()))))\n";
    assert_eq!(time(subsets), "O(2^n)");
    let paired = "def subsets(a):\n    if not a:\n        return [[]]\n    first, rest = a[0], subsets(a[1:])\n    return rest + [[first] + r for r in rest]\n";
    assert_eq!(time(paired), "O(2^n)");
    // One copy plus an element grows by one per level.
    let prefix = "def upto(n):\n    if n == 0:\n        return []\n    prev = upto(n - 1)\n    return prev + [n]\nprint(upto(int(input())))\n";
    assert_ne!(time(prefix), "O(2^n)");
}

#[test]
fn an_exponential_recursion_collecting_into_an_outer_list_fills_it() {
    let code = "res = []\ndef gen(n, cur):\n    if n == 0:\n        res.append(cur)\n        return\n    gen(n - 1, cur + '0')\n    gen(n - 1, cur + '1')\ngen(int(input()), '')\nprint(len(res))\n";
    assert_eq!(time(code), "O(2^n)");
    assert_eq!(space(code), "O(2^n)");
    // Only counting the leaves keeps the call stack.
    let counted = "def gen(n, cur):\n    if n == 0:\n        print(cur)\n        return\n    gen(n - 1, cur + '0')\n    gen(n - 1, cur + '1')\ngen(int(input()), '')\n";
    assert_eq!(space(counted), "O(n)");
}

#[test]
fn a_collection_extended_by_a_comprehension_over_it_reversed_doubles() {
    let gray = "n = int(input())\nres = [0]\nfor i in range(n):\n    res += [x | 1 << i for x in reversed(res)]\nprint(res)\n";
    assert_eq!(time(gray), "O(2^n)");
    assert_eq!(space(gray), "O(2^n)");
    let sliced = "n = int(input())\nres = ['']\nfor i in range(n):\n    res = ['0' + x for x in res] + ['1' + x for x in res[::-1]]\nprint(res)\n";
    assert_eq!(time(sliced), "O(2^n)");
}

#[test]
fn swapping_each_entry_into_place_around_a_recursive_call_builds_every_permutation() {
    let code = "def perm(a, k):\n    if k == len(a):\n        print(a)\n        return\n    for i in range(k, len(a)):\n        a[k], a[i] = a[i], a[k]\n        perm(a, k + 1)\n        a[k], a[i] = a[i], a[k]\nperm(list(map(int, input().split())), 0)\n";
    assert_eq!(time(code), "O(n!)");
    // Quicksort swaps in its partition loop but recurses outside it.
    let quick = "def qs(a, lo, hi):\n    if lo >= hi:\n        return\n    p = a[hi]\n    i = lo\n    for j in range(lo, hi):\n        if a[j] < p:\n            a[i], a[j] = a[j], a[i]\n            i += 1\n    a[i], a[hi] = a[hi], a[i]\n    qs(a, lo, i - 1)\n    qs(a, i + 1, hi)\n";
    assert_ne!(time(quick), "O(n!)");
}

#[test]
fn a_call_per_element_of_a_literal_is_a_branch() {
    let code = "n = int(input())\nres = []\ndef bt(cur):\n    if len(cur) == n:\n        res.append(cur)\n        return\n    for c in 'ab':\n        bt(cur + c)\nbt('')\nprint(len(res))\n";
    assert_eq!(time(code), "O(2^n)");
}

#[test]
fn a_flood_fill_guarded_by_its_marks_enters_each_cell_once() {
    let explicit = "n, m = map(int, input().split())\ng = [list(input()) for _ in range(n)]\ndef fill(x, y):\n    if x < 0 or y < 0 or x >= n or y >= m or g[x][y] != '.':\n        return\n    g[x][y] = '#'\n    fill(x + 1, y)\n    fill(x - 1, y)\n    fill(x, y + 1)\n    fill(x, y - 1)\nfill(0, 0)\n";
    // Linear in the cells it enters: the grid it reads is the input.
    assert_eq!(time(explicit), "O(n)");
    let looped = "n, m = map(int, input().split())\ng = [list(input()) for _ in range(n)]\nseen = [[False] * m for _ in range(n)]\ndef dfs(x, y):\n    if x < 0 or y < 0 or x >= n or y >= m or seen[x][y]:\n        return\n    seen[x][y] = True\n    for dx, dy in ((0, 1), (1, 0), (0, -1), (-1, 0)):\n        dfs(x + dx, y + dy)\ndfs(0, 0)\n";
    assert_eq!(time(looped), "O(n^2)");
    let checked_in_loop = "n, m = map(int, input().split())\ng = [input() for _ in range(n)]\nseen = [[False] * m for _ in range(n)]\ndef dfs(x, y):\n    seen[x][y] = True\n    for dx, dy in ((0, 1), (1, 0), (0, -1), (-1, 0)):\n        nx, ny = x + dx, y + dy\n        if 0 <= nx < n and 0 <= ny < m and not seen[nx][ny]:\n            dfs(nx, ny)\ndfs(0, 0)\n";
    assert_eq!(time(checked_in_loop), "O(n^2)");
    // A choice recorded on the way down is not a visited mark.
    let choices = "n = int(input())\nt = [0] * n\ndef gen(i):\n    if i == n:\n        print(t)\n        return\n    t[i] = 1\n    gen(i + 1)\n    t[i] = 0\n    gen(i + 1)\ngen(0)\n";
    assert_eq!(time(choices), "O(2^n)");
}

#[test]
fn pairs_from_itertools_are_quadratic_and_orderings_of_a_literal_constant() {
    let pairs = "from itertools import combinations\na = list(map(int, input().split()))\nprint(sum(1 for x, y in combinations(a, 2) if x + y == 0))\n";
    assert_eq!(time(pairs), "O(n^2)");
    let ordered = "from itertools import permutations\na = list(map(int, input().split()))\nprint(max(x - y for x, y in permutations(a, 2)))\n";
    assert_eq!(time(ordered), "O(n^2)");
    let fixed = "from itertools import permutations\nn = int(input())\nfor p in permutations('abc'):\n    print(n, ''.join(p))\n";
    assert_eq!(time(fixed), "O(1)");
}

#[test]
fn doubling_up_to_a_power_takes_as_many_steps_as_the_exponent() {
    let code = "n = int(input())\nx = 1\nwhile x < 2 ** n:\n    x *= 2\nprint(x)\n";
    assert_eq!(time(code), "O(n)");
    // Up to the number itself it is log n.
    let halving = "n = int(input())\nx = 1\nwhile x < n:\n    x *= 2\nprint(x)\n";
    assert_eq!(time(halving), "O(log n)");
}

#[test]
fn an_accumulator_passed_down_an_exponential_recursion_fills_up() {
    let hanoi = "def moves(n, a, b, c, out):\n    if n == 0:\n        return\n    moves(n - 1, a, c, b, out)\n    out.append((a, c))\n    moves(n - 1, b, a, c, out)\nres = []\nmoves(int(input()), 'A', 'B', 'C', res)\nprint(len(res))\n";
    assert_eq!(space(hanoi), "O(2^n)");
    // A path that is popped after each call only holds the current branch.
    let path = "def go(a, i, cur):\n    if i == len(a):\n        print(cur)\n        return\n    cur.append(a[i])\n    go(a, i + 1, cur)\n    cur.pop()\n    go(a, i + 1, cur)\ngo(list(map(int, input().split())), 0, [])\n";
    assert_eq!(space(path), "O(n)");
}

#[test]
fn a_recursion_over_neighbours_that_skips_its_parent_walks_a_tree() {
    let code = "n = int(input())\nadj = [[] for _ in range(n)]\nfor _ in range(n - 1):\n    u, v = map(int, input().split())\n    adj[u].append(v)\n    adj[v].append(u)\ndef dfs(u, p):\n    for v in adj[u]:\n        if v != p:\n            dfs(v, u)\ndfs(0, -1)\n";
    assert_eq!(time(code), "O(n)");
    let skipped = "n = int(input())\nadj = [[] for _ in range(n)]\nfor _ in range(n - 1):\n    u, v = map(int, input().split())\n    adj[u].append(v)\n    adj[v].append(u)\ndef size(u, p):\n    s = 1\n    for v in adj[u]:\n        if v == p:\n            continue\n        s += size(v, u)\n    return s\nprint(size(0, -1))\n";
    assert_eq!(time(skipped), "O(n)");
}

#[test]
fn a_recursion_making_several_items_from_each_of_its_results_multiplies_them() {
    let power_set = "def ps(a):\n    if not a:\n        yield []\n        return\n    for r in ps(a[1:]):\n        yield r\n        yield [a[0]] + r\nprint(list(ps(input().split())))\n";
    assert_eq!(time(power_set), "O(2^n)");
    let inserted = "def perms(a):\n    if len(a) <= 1:\n        yield a\n        return\n    for p in perms(a[1:]):\n        for i in range(len(a)):\n            yield p[:i] + a[0:1] + p[i:]\nprint(list(perms(input())))\n";
    assert_eq!(time(inserted), "O(n!)");
    // One item per result, into each of two lists, does not multiply.
    let split = "def f(n):\n    if n == 0:\n        return [0]\n    a, b = [], []\n    for x in f(n - 1):\n        a.append(x)\n        b.append(-x)\n    return a + [n]\nprint(f(int(input())))\n";
    assert_ne!(time(split), "O(2^n)");
}

#[test]
fn a_worklist_of_bitmasks_has_exponentially_many_states() {
    let code = "from collections import deque\nn = int(input())\nseen = {0}\nq = deque([0])\nwhile q:\n    mask = q.popleft()\n    for i in range(n):\n        nm = mask | 1 << i\n        if nm not in seen:\n            seen.add(nm)\n            q.append(nm)\nprint(len(seen))\n";
    assert_eq!(time(code), "O(2^n)");
    assert_eq!(space(code), "O(2^n)");
    // A queue of nodes is a breadth-first search.
    let nodes = "from collections import deque\nn = int(input())\nadj = [[] for _ in range(n)]\nfor _ in range(n - 1):\n    u, v = map(int, input().split())\n    adj[u].append(v)\n    adj[v].append(u)\nseen = [False] * n\nq = deque([0])\nwhile q:\n    u = q.popleft()\n    for v in adj[u]:\n        if not seen[v]:\n            seen[v] = True\n            q.append(v)\n";
    assert_eq!(time(nodes), "O(n)");
}

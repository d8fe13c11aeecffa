//! More classic graph, tree and dynamic-programming code written the textbook way (the first
//! half is in `classics_graphs`), with the same single input size n.

use super::{analyse, space, time};

/// Textbook snippets and their classes: (name, code, time, space).
const CLASSICS: &[(&str, &str, &str, &str)] = &[
    (
        "coin_ways",
        r#"def change(amount, coins):
    ways = [0] * (amount + 1)
    ways[0] = 1
    for c in coins:
        for a in range(c, amount + 1):
            ways[a] += ways[a - c]
    return ways[amount]
"#,
        "O(n^2)",
        "O(n)",
    ),
    (
        "subset_sum",
        r#"def can_partition(nums):
    total = sum(nums)
    if total % 2:
        return False
    target = total // 2
    dp = [False] * (target + 1)
    dp[0] = True
    for x in nums:
        for s in range(target, x - 1, -1):
            dp[s] = dp[s] or dp[s - x]
    return dp[target]
"#,
        "O(n^2)",
        "O(n)",
    ),
    (
        "mcm",
        r#"def matrix_chain(dims):
    n = len(dims) - 1
    dp = [[0] * n for _ in range(n)]
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            dp[i][j] = float('inf')
            for k in range(i, j):
                cost = dp[i][k] + dp[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost < dp[i][j]:
                    dp[i][j] = cost
    return dp[0][n - 1]
"#,
        "O(n^3)",
        "O(n^2)",
    ),
    (
        "lps_dp",
        r#"def longest_palindrome_subseq(s):
    n = len(s)
    dp = [[0] * n for _ in range(n)]
    for i in range(n - 1, -1, -1):
        dp[i][i] = 1
        for j in range(i + 1, n):
            if s[i] == s[j]:
                dp[i][j] = dp[i + 1][j - 1] + 2
            else:
                dp[i][j] = max(dp[i + 1][j], dp[i][j - 1])
    return dp[0][n - 1]
"#,
        "O(n^2)",
        "O(n^2)",
    ),
    (
        "stairs",
        r#"def climb_stairs(n):
    a, b = 1, 1
    for _ in range(n):
        a, b = b, a + b
    return a
"#,
        "O(n)",
        "O(1)",
    ),
    (
        "stairs_stdin",
        r#"n = int(input())
a, b = 1, 1
for _ in range(n):
    a, b = b, a + b
print(a)
"#,
        "O(n)",
        "O(1)",
    ),
    (
        "stairs_memo",
        r#"from functools import lru_cache

@lru_cache(maxsize=None)
def ways(n):
    if n <= 1:
        return 1
    return ways(n - 1) + ways(n - 2)
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "robber",
        r#"def rob(nums):
    prev, cur = 0, 0
    for x in nums:
        prev, cur = cur, max(cur, prev + x)
    return cur
"#,
        "O(n)",
        "O(1)",
    ),
    (
        "min_path",
        r#"def min_path_sum(grid):
    n, m = len(grid), len(grid[0])
    dp = [[0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            if i == 0 and j == 0:
                dp[i][j] = grid[i][j]
            elif i == 0:
                dp[i][j] = dp[i][j - 1] + grid[i][j]
            elif j == 0:
                dp[i][j] = dp[i - 1][j] + grid[i][j]
            else:
                dp[i][j] = min(dp[i - 1][j], dp[i][j - 1]) + grid[i][j]
    return dp[n - 1][m - 1]
"#,
        "O(n^2)",
        "O(n^2)",
    ),
    (
        "grid_bfs",
        r#"from collections import deque
n = int(input())
grid = [input() for _ in range(n)]
dist = [[-1] * n for _ in range(n)]
dist[0][0] = 0
q = deque([(0, 0)])
while q:
    r, c = q.popleft()
    for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        nr, nc = r + dr, c + dc
        if 0 <= nr < n and 0 <= nc < n and grid[nr][nc] == '.' and dist[nr][nc] < 0:
            dist[nr][nc] = dist[r][c] + 1
            q.append((nr, nc))
print(dist[n - 1][n - 1])
"#,
        "O(n^2)",
        "O(n^2)",
    ),
    (
        "knap_memo",
        r#"from functools import lru_cache

def knapsack(weights, values, capacity):
    @lru_cache(maxsize=None)
    def best(i, cap):
        if i == len(weights):
            return 0
        skip = best(i + 1, cap)
        if weights[i] <= cap:
            return max(skip, values[i] + best(i + 1, cap - weights[i]))
        return skip
    return best(0, capacity)
"#,
        "O(n^2)",
        "O(n^2)",
    ),
    (
        "edit_memo",
        r#"from functools import lru_cache

def min_distance(a, b):
    @lru_cache(maxsize=None)
    def go(i, j):
        if i == len(a):
            return len(b) - j
        if j == len(b):
            return len(a) - i
        if a[i] == b[j]:
            return go(i + 1, j + 1)
        return 1 + min(go(i + 1, j), go(i, j + 1), go(i + 1, j + 1))
    return go(0, 0)
"#,
        "O(n^2)",
        "O(n^2)",
    ),
    (
        "lis_memo",
        r#"from functools import lru_cache

def lis(a):
    @lru_cache(maxsize=None)
    def ending_at(i):
        best = 1
        for j in range(i):
            if a[j] < a[i]:
                best = max(best, ending_at(j) + 1)
        return best
    return max(ending_at(i) for i in range(len(a)))
"#,
        "O(n^2)",
        "O(n)",
    ),
    (
        "catalan",
        r#"def num_trees(n):
    dp = [0] * (n + 1)
    dp[0] = dp[1] = 1
    for i in range(2, n + 1):
        for j in range(1, i + 1):
            dp[i] += dp[j - 1] * dp[i - j]
    return dp[n]
"#,
        "O(n^2)",
        "O(n)",
    ),
    (
        "word_break",
        r#"def word_break(s, words):
    ok = [False] * (len(s) + 1)
    ok[0] = True
    for i in range(1, len(s) + 1):
        for j in range(i):
            if ok[j] and s[j:i] in words:
                ok[i] = True
                break
    return ok[len(s)]
"#,
        "O(n^3)",
        "O(n)",
    ),
    (
        "children",
        r#"def size(node):
    total = 1
    for child in node.children:
        total += size(child)
    return total
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "inorder",
        r#"def inorder(root, out):
    if root:
        inorder(root.left, out)
        out.append(root.val)
        inorder(root.right, out)
    return out
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "bst_insert",
        r#"class Node:
    def __init__(self, key):
        self.key = key
        self.left = None
        self.right = None

def insert(root, key):
    if root is None:
        return Node(key)
    if key < root.key:
        root.left = insert(root.left, key)
    else:
        root.right = insert(root.right, key)
    return root
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "dijkstra_dict",
        r#"import heapq
from collections import defaultdict

def network_delay(times, n, k):
    graph = defaultdict(list)
    for u, v, w in times:
        graph[u].append((v, w))
    dist = {}
    heap = [(0, k)]
    while heap:
        d, u = heapq.heappop(heap)
        if u in dist:
            continue
        dist[u] = d
        for v, w in graph[u]:
            if v not in dist:
                heapq.heappush(heap, (d + w, v))
    return max(dist.values()) if len(dist) == n else -1
"#,
        "O(n log n)",
        "O(n)",
    ),
    (
        "dijkstra_visited",
        r#"import heapq

def shortest(graph, src, n):
    dist = [float('inf')] * n
    dist[src] = 0
    done = set()
    heap = [(0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, w in graph[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                heapq.heappush(heap, (dist[v], v))
    return dist
"#,
        "O(n log n)",
        "O(n)",
    ),
    (
        "lcsub",
        r#"def longest_common_substring(a, b):
    best = 0
    dp = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                dp[i][j] = dp[i - 1][j - 1] + 1
                best = max(best, dp[i][j])
    return best
"#,
        "O(n^2)",
        "O(n^2)",
    ),
    (
        "perms",
        r#"def permute(nums):
    out = []
    used = [False] * len(nums)
    def go(path):
        if len(path) == len(nums):
            out.append(path[:])
            return
        for i in range(len(nums)):
            if not used[i]:
                used[i] = True
                path.append(nums[i])
                go(path)
                path.pop()
                used[i] = False
    go([])
    return out
"#,
        "O(n!)",
        "O(n!)",
    ),
    (
        "prefix",
        r#"n = int(input())
a = list(map(int, input().split()))
pre = [0] * (n + 1)
for i in range(n):
    pre[i + 1] = pre[i] + a[i]
q = int(input())
for _ in range(q):
    l, r = map(int, input().split())
    print(pre[r] - pre[l - 1])
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "diam_rec",
        r#"def diameter(root):
    best = 0
    def depth(node):
        nonlocal best
        if node is None:
            return 0
        l = depth(node.left)
        r = depth(node.right)
        best = max(best, l + r)
        return 1 + max(l, r)
    depth(root)
    return best
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "dij_matrix",
        r#"def dijkstra(w, src):
    n = len(w)
    INF = float('inf')
    dist = [INF] * n
    done = [False] * n
    dist[src] = 0
    for _ in range(n):
        u = -1
        for v in range(n):
            if not done[v] and (u == -1 or dist[v] < dist[u]):
                u = v
        done[u] = True
        for v in range(n):
            if w[u][v] and dist[u] + w[u][v] < dist[v]:
                dist[v] = dist[u] + w[u][v]
    return dist
"#,
        "O(n^2)",
        "O(n)",
    ),
    (
        "dict_graph_dfs",
        r#"def reachable(graph, start):
    seen = set()
    def visit(u):
        seen.add(u)
        for v in graph.get(u, []):
            if v not in seen:
                visit(v)
    visit(start)
    return seen
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "bellman",
        r#"def bellman_ford(n, edges, src):
    dist = [float('inf')] * n
    dist[src] = 0
    for _ in range(n - 1):
        for u, v, w in edges:
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
    return dist
"#,
        "O(n^2)",
        "O(n)",
    ),
];

#[test]
fn more_classic_algorithms_keep_their_time_and_space() {
    for (name, code, t, s) in CLASSICS {
        let a = analyse(code);
        assert_eq!(
            (a.time_complexity.as_str(), a.space_complexity.as_str()),
            (*t, *s),
            "{name}"
        );
    }
}

#[test]
fn sinking_islands_enters_each_cell_once_over_all_starts() {
    let code = "def num_islands(grid):\n    rows, cols = len(grid), len(grid[0])\n    def sink(r, c):\n        if r < 0 or c < 0 or r >= rows or c >= cols or grid[r][c] != '1':\n            return\n        grid[r][c] = '0'\n        sink(r + 1, c)\n        sink(r - 1, c)\n        sink(r, c + 1)\n        sink(r, c - 1)\n    count = 0\n    for r in range(rows):\n        for c in range(cols):\n            if grid[r][c] == '1':\n                count += 1\n                sink(r, c)\n    return count\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn marks_added_and_removed_around_a_backtracking_call_hold_one_path() {
    let queens = "def solve_n_queens(n):\n    cols, d1, d2 = set(), set(), set()\n    count = 0\n    def place(r):\n        nonlocal count\n        if r == n:\n            count += 1\n            return\n        for c in range(n):\n            if c in cols or r - c in d1 or r + c in d2:\n                continue\n            cols.add(c)\n            d1.add(r - c)\n            d2.add(r + c)\n            place(r + 1)\n            cols.remove(c)\n            d1.remove(r - c)\n            d2.remove(r + c)\n    place(0)\n    return count\n";
    assert_eq!(time(queens), "O(n!)");
    assert_eq!(space(queens), "O(n)");
    let subsets = "def subsets(nums):\n    out = []\n    def go(i, cur):\n        if i == len(nums):\n            out.append(cur[:])\n            return\n        go(i + 1, cur)\n        cur.append(nums[i])\n        go(i + 1, cur)\n        cur.pop()\n    go(0, [])\n    return out\n";
    assert_eq!(space(subsets), "O(2^n)", "the leaves are still collected");
}

#[test]
fn a_level_by_level_breadth_first_search_is_linear() {
    let code = "from collections import deque\n\ndef level_order(root):\n    out = []\n    q = deque([root] if root else [])\n    while q:\n        level = []\n        for _ in range(len(q)):\n            node = q.popleft()\n            level.append(node.val)\n            if node.left:\n                q.append(node.left)\n            if node.right:\n                q.append(node.right)\n        out.append(level)\n    return out\n";
    assert_eq!(time(code), "O(n)");
    assert_eq!(space(code), "O(n)");
    let doubling = "n = int(input())\nres = [[]]\nfor x in range(n):\n    for i in range(len(res)):\n        res.append(res[i] + [x])\nprint(len(res))\n";
    assert_eq!(
        time(doubling),
        "O(2^n)",
        "without a pop the snapshot loop still doubles"
    );
}

#[test]
fn a_memo_table_passed_along_and_consulted_by_key_hashes() {
    let code = "def climb(n, memo):\n    if n <= 1:\n        return 1\n    if n in memo:\n        return memo[n]\n    memo[n] = climb(n - 1, memo) + climb(n - 2, memo)\n    return memo[n]\n\nprint(climb(int(input()), {}))\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn a_recursive_flood_fill_can_go_as_deep_as_the_grid_has_cells() {
    let islands = "def num_islands(grid):\n    if not grid:\n        return 0\n    rows, cols = len(grid), len(grid[0])\n\n    def dfs(r, c):\n        if r < 0 or c < 0 or r >= rows or c >= cols or grid[r][c] != '1':\n            return\n        grid[r][c] = '0'\n        dfs(r + 1, c)\n        dfs(r - 1, c)\n        dfs(r, c + 1)\n        dfs(r, c - 1)\n\n    count = 0\n    for r in range(rows):\n        for c in range(cols):\n            if grid[r][c] == '1':\n                dfs(r, c)\n                count += 1\n    return count\n";
    assert_eq!(time(islands), "O(n^2)");
    assert_eq!(
        space(islands),
        "O(n^2)",
        "a snake-shaped island is n^2 calls deep"
    );
    let from_corner = "def fill(grid, seen, r, c):\n    seen[r][c] = True\n    for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):\n        nr, nc = r + dr, c + dc\n        if 0 <= nr < len(grid) and 0 <= nc < len(grid[0]) and not seen[nr][nc]:\n            fill(grid, seen, nr, nc)\n";
    assert_eq!(time(from_corner), "O(n^2)", "each cell is entered once");
    assert_eq!(space(from_corner), "O(n^2)");
}

#[test]
fn a_component_label_stored_under_a_sentinel_guard_is_a_visited_mark() {
    let code = "n, m = map(int, input().split())\nradj = [[] for _ in range(n)]\nfor _ in range(m):\n    u, v = map(int, input().split())\n    radj[v].append(u)\ncomp = [-1] * n\n\ndef dfs2(u, c):\n    comp[u] = c\n    for v in radj[u]:\n        if comp[v] == -1:\n            dfs2(v, c)\n\nc = 0\nfor u in range(n):\n    if comp[u] == -1:\n        dfs2(u, c)\n        c += 1\nprint(c)\n";
    assert_eq!(time(code), "O(n)");
    let falsy = code
        .replace("comp = [-1] * n", "comp = [None] * n")
        .replace("== -1", "is None");
    assert_eq!(time(&falsy), "O(n)");
    let returns_early = code.replace(
        "    comp[u] = c\n    for v in radj[u]:\n        if comp[v] == -1:\n            dfs2(v, c)\n",
        "    if comp[u] != -1:\n        return\n    comp[u] = c\n    for v in radj[u]:\n        dfs2(v, c)\n",
    );
    assert_ne!(returns_early, code);
    assert_eq!(time(&returns_early), "O(n)");
    let unguarded = code.replace("if comp[v] == -1:", "if comp[v] != c:");
    assert_eq!(
        time(&unguarded),
        "O(2^n)",
        "a guard that is not the initial sentinel does not make the store a mark"
    );
}

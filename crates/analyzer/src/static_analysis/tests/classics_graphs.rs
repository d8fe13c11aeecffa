//! Classic graph, tree and dynamic-programming code written the textbook way. One input size
//! n: a graph's V + E, a string's or array's length, a DP capacity or amount all collapse to n
//! (Bellman-Ford's V · E is n^2).

use super::{analyse, space, time};

/// Textbook snippets and their classes: (name, code, time, space).
const CLASSICS: &[(&str, &str, &str, &str)] = &[
    (
        "bfs",
        r#"from collections import deque

def bfs(graph, start):
    dist = {start: 0}
    q = deque([start])
    while q:
        u = q.popleft()
        for v in graph[u]:
            if v not in dist:
                dist[v] = dist[u] + 1
                q.append(v)
    return dist
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "bfs_stdin",
        r#"from collections import deque
n, m = map(int, input().split())
adj = [[] for _ in range(n)]
for _ in range(m):
    a, b = map(int, input().split())
    adj[a].append(b)
    adj[b].append(a)
dist = [-1] * n
dist[0] = 0
q = deque([0])
while q:
    u = q.popleft()
    for v in adj[u]:
        if dist[v] == -1:
            dist[v] = dist[u] + 1
            q.append(v)
print(dist)
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "dfs_iter",
        r#"def dfs(graph, start):
    visited = set()
    stack = [start]
    order = []
    while stack:
        u = stack.pop()
        if u in visited:
            continue
        visited.add(u)
        order.append(u)
        for v in graph[u]:
            if v not in visited:
                stack.append(v)
    return order
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "components",
        r#"def count_components(n, edges):
    adj = [[] for _ in range(n)]
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    seen = [False] * n
    count = 0
    for s in range(n):
        if seen[s]:
            continue
        count += 1
        stack = [s]
        seen[s] = True
        while stack:
            u = stack.pop()
            for v in adj[u]:
                if not seen[v]:
                    seen[v] = True
                    stack.append(v)
    return count
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "bipartite",
        r#"from collections import deque

def is_bipartite(graph):
    n = len(graph)
    side = [-1] * n
    for s in range(n):
        if side[s] != -1:
            continue
        side[s] = 0
        q = deque([s])
        while q:
            u = q.popleft()
            for v in graph[u]:
                if side[v] == -1:
                    side[v] = 1 - side[u]
                    q.append(v)
                elif side[v] == side[u]:
                    return False
    return True
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "dijkstra",
        r#"import heapq

def dijkstra(graph, src):
    dist = {src: 0}
    pq = [(0, src)]
    while pq:
        d, u = heapq.heappop(pq)
        if d > dist.get(u, float('inf')):
            continue
        for v, w in graph[u]:
            nd = d + w
            if nd < dist.get(v, float('inf')):
                dist[v] = nd
                heapq.heappush(pq, (nd, v))
    return dist
"#,
        "O(n log n)",
        "O(n)",
    ),
    (
        "dijkstra_stdin",
        r#"import heapq
n, m = map(int, input().split())
adj = [[] for _ in range(n)]
for _ in range(m):
    a, b, w = map(int, input().split())
    adj[a].append((b, w))
    adj[b].append((a, w))
INF = float('inf')
dist = [INF] * n
dist[0] = 0
pq = [(0, 0)]
while pq:
    d, u = heapq.heappop(pq)
    if d > dist[u]:
        continue
    for v, w in adj[u]:
        if d + w < dist[v]:
            dist[v] = d + w
            heapq.heappush(pq, (dist[v], v))
print(dist)
"#,
        "O(n log n)",
        "O(n)",
    ),
    (
        "prim",
        r#"import heapq

def prim(graph, n):
    seen = [False] * n
    pq = [(0, 0)]
    total = 0
    while pq:
        w, u = heapq.heappop(pq)
        if seen[u]:
            continue
        seen[u] = True
        total += w
        for v, c in graph[u]:
            if not seen[v]:
                heapq.heappush(pq, (c, v))
    return total
"#,
        "O(n log n)",
        "O(n)",
    ),
    (
        "kruskal",
        r#"def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x

def kruskal(n, edges):
    parent = list(range(n))
    total = 0
    for w, u, v in sorted(edges):
        ru, rv = find(parent, u), find(parent, v)
        if ru != rv:
            parent[ru] = rv
            total += w
    return total
"#,
        "O(n log n)",
        "O(n)",
    ),
    (
        "kahn",
        r#"from collections import deque

def topo_sort(n, edges):
    adj = [[] for _ in range(n)]
    indeg = [0] * n
    for u, v in edges:
        adj[u].append(v)
        indeg[v] += 1
    q = deque(i for i in range(n) if indeg[i] == 0)
    order = []
    while q:
        u = q.popleft()
        order.append(u)
        for v in adj[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                q.append(v)
    return order
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "diameter",
        r#"from collections import deque

def farthest(adj, s):
    dist = [-1] * len(adj)
    dist[s] = 0
    q = deque([s])
    while q:
        u = q.popleft()
        for v in adj[u]:
            if dist[v] < 0:
                dist[v] = dist[u] + 1
                q.append(v)
    best = max(range(len(adj)), key=lambda i: dist[i])
    return best, dist[best]

def diameter(adj):
    a, _ = farthest(adj, 0)
    _, d = farthest(adj, a)
    return d
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "treedp",
        r#"def subtree_sizes(adj, u, parent, size):
    size[u] = 1
    for v in adj[u]:
        if v != parent:
            subtree_sizes(adj, v, u, size)
            size[u] += size[v]
    return size[u]
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "tree_dp_stdin",
        r#"import sys
sys.setrecursionlimit(10000)
n = int(input())
adj = [[] for _ in range(n)]
for _ in range(n - 1):
    a, b = map(int, input().split())
    adj[a - 1].append(b - 1)
    adj[b - 1].append(a - 1)
size = [1] * n
def dfs(u, p):
    for v in adj[u]:
        if v != p:
            dfs(v, u)
            size[u] += size[v]
dfs(0, -1)
print(max(size))
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "dsu",
        r#"class DSU:
    def __init__(self, n):
        self.parent = list(range(n))
        self.rank = [0] * n

    def find(self, x):
        if self.parent[x] != x:
            self.parent[x] = self.find(self.parent[x])
        return self.parent[x]

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.rank[ra] < self.rank[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if self.rank[ra] == self.rank[rb]:
            self.rank[ra] += 1
        return True

n, m = map(int, input().split())
d = DSU(n)
for _ in range(m):
    a, b = map(int, input().split())
    d.union(a, b)
print(len({d.find(i) for i in range(n)}))
"#,
        "O(n)",
        "O(n)",
    ),
    (
        "floyd_stdin",
        r#"n = int(input())
INF = float('inf')
d = [[INF] * n for _ in range(n)]
for i in range(n):
    d[i][i] = 0
m = int(input())
for _ in range(m):
    a, b, w = map(int, input().split())
    d[a][b] = min(d[a][b], w)
for k in range(n):
    for i in range(n):
        for j in range(n):
            d[i][j] = min(d[i][j], d[i][k] + d[k][j])
print(d)
"#,
        "O(n^3)",
        "O(n^2)",
    ),
    (
        "knapsack",
        r#"def knapsack(weights, values, capacity):
    n = len(weights)
    dp = [[0] * (capacity + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for c in range(capacity + 1):
            dp[i][c] = dp[i - 1][c]
            if weights[i - 1] <= c:
                dp[i][c] = max(dp[i][c], dp[i - 1][c - weights[i - 1]] + values[i - 1])
    return dp[n][capacity]
"#,
        "O(n^2)",
        "O(n^2)",
    ),
    (
        "knapsack1d",
        r#"def knapsack(weights, values, capacity):
    dp = [0] * (capacity + 1)
    for w, v in zip(weights, values):
        for c in range(capacity, w - 1, -1):
            dp[c] = max(dp[c], dp[c - w] + v)
    return dp[capacity]
"#,
        "O(n^2)",
        "O(n)",
    ),
    (
        "edit",
        r#"def edit_distance(a, b):
    n, m = len(a), len(b)
    dp = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        dp[i][0] = i
    for j in range(m + 1):
        dp[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            if a[i - 1] == b[j - 1]:
                dp[i][j] = dp[i - 1][j - 1]
            else:
                dp[i][j] = 1 + min(dp[i - 1][j], dp[i][j - 1], dp[i - 1][j - 1])
    return dp[n][m]
"#,
        "O(n^2)",
        "O(n^2)",
    ),
    (
        "edit_rows",
        r#"def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                cur[j] = prev[j - 1]
            else:
                cur[j] = 1 + min(prev[j], cur[j - 1], prev[j - 1])
        prev = cur
    return prev[len(b)]
"#,
        "O(n^2)",
        "O(n)",
    ),
    (
        "lcs",
        r#"a = input()
b = input()
n, m = len(a), len(b)
dp = [[0] * (m + 1) for _ in range(n + 1)]
for i in range(n):
    for j in range(m):
        if a[i] == b[j]:
            dp[i + 1][j + 1] = dp[i][j] + 1
        else:
            dp[i + 1][j + 1] = max(dp[i][j + 1], dp[i + 1][j])
print(dp[n][m])
"#,
        "O(n^2)",
        "O(n^2)",
    ),
    (
        "lis2",
        r#"def lis(a):
    n = len(a)
    dp = [1] * n
    for i in range(n):
        for j in range(i):
            if a[j] < a[i]:
                dp[i] = max(dp[i], dp[j] + 1)
    return max(dp) if dp else 0
"#,
        "O(n^2)",
        "O(n)",
    ),
    (
        "lisb",
        r#"from bisect import bisect_left

def lis(a):
    tails = []
    for x in a:
        i = bisect_left(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)
"#,
        "O(n log n)",
        "O(n)",
    ),
    (
        "lis_stdin",
        r#"import bisect
n = int(input())
a = list(map(int, input().split()))
tails = []
for x in a:
    i = bisect.bisect_left(tails, x)
    if i == len(tails):
        tails.append(x)
    else:
        tails[i] = x
print(len(tails))
"#,
        "O(n log n)",
        "O(n)",
    ),
    (
        "coin",
        r#"def coin_change(coins, amount):
    INF = float('inf')
    dp = [0] + [INF] * amount
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a and dp[a - c] + 1 < dp[a]:
                dp[a] = dp[a - c] + 1
    return dp[amount] if dp[amount] != INF else -1
"#,
        "O(n^2)",
        "O(n)",
    ),
];

#[test]
fn classic_algorithms_keep_their_time_and_space() {
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
fn a_parameter_the_function_adds_to_is_a_set() {
    let code = "def dfs(graph, u, visited):\n    visited.add(u)\n    for v in graph[u]:\n        if v not in visited:\n            dfs(graph, v, visited)\n    return visited\n";
    assert_eq!(time(code), "O(n)");
    let list = "def count(a, b):\n    c = 0\n    for x in a:\n        if x in b:\n            c += 1\n    return c\n";
    assert_eq!(
        time(list),
        "O(n^2)",
        "a parameter of unknown type still scans"
    );
}

#[test]
fn a_memo_keeps_one_entry_per_state() {
    let cached = "from functools import lru_cache\n\ndef unique_paths(m, n):\n    @lru_cache(maxsize=None)\n    def go(i, j):\n        if i == m - 1 or j == n - 1:\n            return 1\n        return go(i + 1, j) + go(i, j + 1)\n    return go(0, 0)\n";
    assert_eq!(time(cached), "O(n^2)");
    assert_eq!(space(cached), "O(n^2)");
    let dict = "def unique_paths(n, m):\n    memo = {}\n    def go(i, j):\n        if i == n - 1 or j == m - 1:\n            return 1\n        if (i, j) in memo:\n            return memo[(i, j)]\n        memo[(i, j)] = go(i + 1, j) + go(i, j + 1)\n        return memo[(i, j)]\n    return go(0, 0)\n";
    assert_eq!(space(dict), "O(n^2)");
    let one = "from functools import lru_cache\n\n@lru_cache(maxsize=None)\ndef ways(n):\n    if n <= 1:\n        return 1\n    return ways(n - 1) + ways(n - 2)\n";
    assert_eq!(space(one), "O(n)");
}

#[test]
fn storing_into_a_slot_of_a_parameter_it_reads_updates_in_place() {
    let floyd = "def floyd_warshall(dist):\n    n = len(dist)\n    for k in range(n):\n        for i in range(n):\n            for j in range(n):\n                if dist[i][k] + dist[k][j] < dist[i][j]:\n                    dist[i][j] = dist[i][k] + dist[k][j]\n    return dist\n";
    assert_eq!(time(floyd), "O(n^3)");
    assert_eq!(space(floyd), "O(1)");
    let counts = "def bump(c, a):\n    for x in a:\n        c[x] += 1\n";
    assert_eq!(space(counts), "O(1)");
    let fills = "def fill(d, n):\n    for i in range(n):\n        for j in range(n):\n            d[i][j] = i * j\n";
    assert_eq!(
        space(fills),
        "O(n^2)",
        "a store to slots never read may add keys"
    );
}

#[test]
fn recursion_on_the_children_of_a_node_visits_each_node_once() {
    let height = "class Node:\n    def __init__(self, val, left=None, right=None):\n        self.val = val\n        self.left = left\n        self.right = right\n\ndef height(root):\n    if root is None:\n        return 0\n    return 1 + max(height(root.left), height(root.right))\n";
    assert_eq!(time(height), "O(n)");
    assert_eq!(space(height), "O(n)");
    let pairs = "def rob(root):\n    def go(node):\n        if not node:\n            return 0, 0\n        l = go(node.left)\n        r = go(node.right)\n        take = node.val + l[1] + r[1]\n        skip = max(l) + max(r)\n        return take, skip\n    return max(go(root))\n";
    assert_eq!(
        time(pairs),
        "O(n)",
        "a recursive call returning a pair is not n numbers"
    );
    let fib = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n";
    assert_eq!(time(fib), "O(2^n)");
}

#[test]
fn a_traversal_started_from_every_unvisited_node_is_linear_overall() {
    let topo = "def topo(graph, n):\n    visited = [False] * n\n    order = []\n    def dfs(u):\n        visited[u] = True\n        for v in graph[u]:\n            if not visited[v]:\n                dfs(v)\n        order.append(u)\n    for u in range(n):\n        if not visited[u]:\n            dfs(u)\n    return order[::-1]\n";
    assert_eq!(time(topo), "O(n)");
    let colours = "def has_cycle(graph, n):\n    color = [0] * n\n    def visit(u):\n        color[u] = 1\n        for v in graph[u]:\n            if color[v] == 1:\n                return True\n            if color[v] == 0 and visit(v):\n                return True\n        color[u] = 2\n        return False\n    return any(color[u] == 0 and visit(u) for u in range(n))\n";
    assert_eq!(time(colours), "O(n)");
    let script = "n, m = map(int, input().split())\ng = [[] for _ in range(n)]\nfor _ in range(m):\n    a, b = map(int, input().split())\n    g[a].append(b)\nvisited = [False] * n\ndef dfs(u):\n    visited[u] = True\n    for v in g[u]:\n        if not visited[v]:\n            dfs(v)\nfor u in range(n):\n    if not visited[u]:\n        dfs(u)\n";
    assert_eq!(time(script), "O(n)");
    let reset = "n = int(input())\ng = [[] for _ in range(n)]\nfor _ in range(n - 1):\n    a, b = map(int, input().split())\n    g[a].append(b)\n    g[b].append(a)\ndef dfs(u):\n    seen[u] = True\n    for v in g[u]:\n        if not seen[v]:\n            dfs(v)\nfor s in range(n):\n    seen = [False] * n\n    dfs(s)\n";
    assert_eq!(
        time(reset),
        "O(n^2)",
        "marks cleared for every start cost a full traversal each"
    );
}

#[test]
fn a_default_value_gives_a_parameter_its_kind() {
    let code = "def fib(n, memo={}):\n    if n < 2:\n        return n\n    if n in memo:\n        return memo[n]\n    memo[n] = fib(n - 1, memo) + fib(n - 2, memo)\n    return memo[n]\n";
    assert_eq!(time(code), "O(n)");
    let seen = "def count(a, seen=set()):\n    c = 0\n    for x in a:\n        if x in seen:\n            c += 1\n    return c\n";
    assert_eq!(time(seen), "O(n)");
}

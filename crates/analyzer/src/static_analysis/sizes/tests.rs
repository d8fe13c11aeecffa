//! Programs whose cost depends on several sizes, and ones that must stay in one size.

use std::collections::BTreeMap;

use crate::model::Analysis;

fn analyse(code: &str) -> Analysis {
    crate::static_analysis::analyze_static(code)
        .unwrap_or_else(|e| panic!("analysis failed: {e}\n{code}"))
}

fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn index_loops_over_a_grid_count_rows_times_columns() {
    let a = analyse(
        "def count(grid):\n    c = 0\n    for i in range(len(grid)):\n        for j in range(len(grid[0])):\n            if grid[i][j] == 1:\n                c += 1\n    return c\n",
    );
    assert_eq!(a.time_complexity, "O(n*m)");
    assert_eq!(
        a.variables,
        vars(&[("n", "len(grid)"), ("m", "len(grid[0])")])
    );
    assert_eq!(a.functions[0].time_complexity, "O(n*m)");
    assert_eq!(
        a.variables_text().as_deref(),
        Some("n = len(grid), m = len(grid[0])")
    );
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("hotspot lines are in one size n")),
        "{:?}",
        a.notes
    );
    assert!(
        a.explanation.starts_with("Time O(n*m)"),
        "{}",
        a.explanation
    );
}

#[test]
fn rows_and_their_elements_are_rows_times_columns() {
    let a = analyse(
        "def total(matrix):\n    s = 0\n    for row in matrix:\n        for x in row:\n            s += x\n    return s\n",
    );
    assert_eq!(a.time_complexity, "O(n*m)");
    assert_eq!(
        a.variables,
        vars(&[("n", "len(matrix)"), ("m", "len(matrix[0])")])
    );
}

#[test]
fn sizes_held_in_names_are_the_same_size() {
    let a = analyse(
        "def f(grid):\n    rows, cols = len(grid), len(grid[0])\n    best = 0\n    for r in range(rows):\n        for c in range(cols):\n            best = max(best, grid[r][c])\n    for r in range(rows):\n        best += 1\n    return best\n",
    );
    assert_eq!(a.time_complexity, "O(n*m)");
    assert_eq!(
        a.variables,
        vars(&[("n", "len(grid)"), ("m", "len(grid[0])")])
    );
}

#[test]
fn loops_over_two_lists_in_sequence_add_two_sizes() {
    let a = analyse(
        "def f(a, b):\n    s = 0\n    for x in a:\n        s += x\n    for y in b:\n        s -= y\n    return s\n",
    );
    assert_eq!(a.time_complexity, "O(n + m)");
    assert_eq!(a.variables, vars(&[("n", "len(a)"), ("m", "len(b)")]));
}

#[test]
fn nested_loops_over_two_lists_multiply_two_sizes() {
    let a = analyse(
        "def common(a, b):\n    c = 0\n    for x in a:\n        for y in b:\n            if x == y:\n                c += 1\n    return c\n",
    );
    assert_eq!(a.time_complexity, "O(n*m)");
    assert_eq!(a.variables, vars(&[("n", "len(a)"), ("m", "len(b)")]));
}

#[test]
fn one_letter_bounds_keep_their_letters() {
    let a = analyse(
        "n, k = map(int, input().split())\nt = 0\nfor i in range(n):\n    for j in range(k):\n        t += i * j\nprint(t)\n",
    );
    assert_eq!(a.time_complexity, "O(n*k)");
    assert_eq!(a.variables, vars(&[("n", "n"), ("k", "k")]));
}

#[test]
fn walking_each_adjacency_row_is_vertices_plus_edges() {
    let a = analyse(
        "def count_edges(adj):\n    total = 0\n    for v in range(len(adj)):\n        for w in adj[v]:\n            total += 1\n    return total\n",
    );
    assert_eq!(a.time_complexity, "O(V + E)");
    assert_eq!(
        a.variables,
        vars(&[("V", "len(adj)"), ("E", "sum(len(adj[v]) for v in adj)")])
    );
}

#[test]
fn edges_read_into_an_adjacency_list_are_counted_by_the_reading_loop() {
    let a = analyse(
        "n, m = map(int, input().split())\nadj = [[] for _ in range(n)]\nfor _ in range(m):\n    u, v = map(int, input().split())\n    adj[u].append(v)\n    adj[v].append(u)\ndeg = [0] * n\nfor v in range(n):\n    for w in adj[v]:\n        deg[w] += 1\nprint(max(deg))\n",
    );
    assert_eq!(a.time_complexity, "O(n + m)");
    assert_eq!(a.variables, vars(&[("n", "n"), ("m", "m")]));
    let from_a_list = analyse(
        "def degrees(edges, n):\n    adj = [[] for _ in range(n)]\n    for u, v in edges:\n        adj[u].append(v)\n    out = []\n    for u in adj:\n        for w in u:\n            out.append(w)\n    return out\n",
    );
    assert_eq!(from_a_list.time_complexity, "O(n + m)");
    assert_eq!(
        from_a_list.variables,
        vars(&[("n", "n"), ("m", "len(edges)")])
    );
}

#[test]
fn a_breadth_first_search_is_vertices_plus_edges() {
    let a = analyse(
        "from collections import deque\nn, m = map(int, input().split())\nadj = [[] for _ in range(n)]\nfor _ in range(m):\n    u, v = map(int, input().split())\n    adj[u].append(v)\n    adj[v].append(u)\nseen = [False] * n\nq = deque([0])\nseen[0] = True\nwhile q:\n    u = q.popleft()\n    for w in adj[u]:\n        if not seen[w]:\n            seen[w] = True\n            q.append(w)\nprint(sum(seen))\n",
    );
    assert_eq!(a.time_complexity, "O(n + m)");
    assert_eq!(a.variables, vars(&[("n", "n"), ("m", "m")]));
}

#[test]
fn one_size_keeps_todays_strings_and_names_n() {
    let a = analyse("def f(nums):\n    t = 0\n    for x in nums:\n        t += x\n    return t\n");
    assert_eq!(a.time_complexity, "O(n)");
    assert_eq!(a.variables, vars(&[("n", "len(nums)")]));
    let b = analyse(
        "n = int(input())\nc = 0\nfor i in range(n):\n    for j in range(i, n):\n        c += 1\nprint(c)\n",
    );
    assert_eq!(b.time_complexity, "O(n^2)");
    assert_eq!(b.variables, vars(&[("n", "n")]));
}

#[test]
fn what_the_reading_does_not_understand_stays_in_one_size() {
    // A while loop: the walk's bound rules decide, and the sizes are not named.
    let a = analyse(
        "def f(a, b):\n    i = j = 0\n    while i < len(a) and j < len(b):\n        if a[i] < b[j]:\n            i += 1\n        else:\n            j += 1\n    return i + j\n",
    );
    assert_eq!(a.time_complexity, "O(n)");
    assert!(a.variables.is_empty());
    // Constant work has no size to name.
    let b = analyse("print(1 + 2)\n");
    assert_eq!(b.time_complexity, "O(1)");
    assert!(b.variables.is_empty());
}

#[test]
fn more_sizes_than_letters_stay_in_one_size() {
    let params: Vec<String> = (0..12).map(|i| format!("a{i}")).collect();
    let loops: String = params
        .iter()
        .map(|p| format!("    for x in {p}:\n        t += x\n"))
        .collect();
    let code = format!(
        "def f({}):\n    t = 0\n{loops}    return t\n",
        params.join(", ")
    );
    let a = analyse(&code);
    assert_eq!(a.time_complexity, "O(n)");
    assert!(a.variables.is_empty(), "{:?}", a.variables);
}

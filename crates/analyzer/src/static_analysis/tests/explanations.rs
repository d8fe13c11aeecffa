//! The explanation and hotspots name the code that drives the cost.

use super::analyse;

#[test]
fn a_fixed_inner_loop_is_not_named_as_the_cause() {
    let code = "from collections import deque\ndef bfs(grid, start):\n    rows, cols = len(grid), len(grid[0])\n    dist = {start: 0}\n    q = deque([start])\n    while q:\n        r, c = q.popleft()\n        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):\n            nr, nc = r + dr, c + dc\n            if 0 <= nr < rows and 0 <= nc < cols and (nr, nc) not in dist:\n                dist[(nr, nc)] = dist[(r, c)] + 1\n                q.append((nr, nc))\n    return dist\n";
    let a = analyse(code);
    assert_eq!(a.time_complexity, "O(n)");
    assert!(
        a.explanation.contains("line 6: while loop runs n times"),
        "{}",
        a.explanation
    );
}

#[test]
fn walking_a_nodes_neighbours_is_explained_as_amortised() {
    let code = "def dfs(graph, start):\n    seen = {start}\n    stack = [start]\n    while stack:\n        u = stack.pop()\n        for v in graph[u]:\n            if v not in seen:\n                seen.add(v)\n                stack.append(v)\n    return seen\n";
    let a = analyse(code);
    assert_eq!(a.time_complexity, "O(n)");
    let reasons: Vec<&str> = a.functions[0]
        .hotspots
        .iter()
        .map(|h| h.reason.as_str())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("each edge is walked once")),
        "{reasons:?}"
    );
}

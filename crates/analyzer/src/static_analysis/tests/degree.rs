//! Polynomial degree: nested loops, amortised pointers, copies inside loops.

use super::{space, time};

#[test]
fn a_comprehension_filter_runs_once_per_element() {
    let code = "a = list(map(int, input().split()))\nb = list(map(int, input().split()))\nprint([x for x in b if x in a])\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn membership_in_a_row_of_sets_hashes() {
    let code = "n = int(input())\ng = {i: set() for i in range(n)}\nfor i in range(n - 1):\n    g[i].add(i + 1)\nfor i in range(n):\n    for j in range(n):\n        if i in g[j]:\n            print(i, j)\n";
    assert_eq!(time(code), "O(n^2)");
    let lists = "n = int(input())\ng = [[] for i in range(n)]\nfor i in range(n - 1):\n    g[i].append(i + 1)\nfor i in range(n):\n    for j in range(n):\n        if i in g[j]:\n            print(i, j)\n";
    assert_eq!(time(lists), "O(n^3)", "a row of a list of lists scans");
}

#[test]
fn a_list_created_in_a_loop_only_grows_by_the_inner_loops() {
    let code = "n = int(input())\nrows = []\nfor i in range(n):\n    row = []\n    for j in range(n):\n        row.append(j)\n    rows.append(row.copy())\n";
    assert_eq!(time(code), "O(n^2)");
    let kept = "n = int(input())\nrow = []\nfor i in range(n):\n    for j in range(n):\n        row.append(j)\n    print(sum(row))\n";
    assert_eq!(
        time(kept),
        "O(n^3)",
        "a list that is never reset keeps growing"
    );
}

#[test]
fn a_while_loop_between_two_constants_is_constant() {
    let code = "s = input()\ni = 0\nc = 0\nwhile i < 26:\n    if chr(97 + i) in s:\n        c += 1\n    i += 1\nprint(c)\n";
    assert_eq!(time(code), "O(n)");
    let down = "n = int(input())\nj = 9\nwhile j > -1:\n    j -= 1\n";
    assert_eq!(time(down), "O(1)");
    let from_input = "n = int(input())\nj = n\nwhile j > 0:\n    j -= 1\n";
    assert_eq!(
        time(from_input),
        "O(n)",
        "a variable starting at n still counts n"
    );
}

#[test]
fn a_loop_that_appends_the_lines_it_reads_is_not_test_cases() {
    let code = "n, m = map(int, input().split())\ng = []\nbest = 0\nfor i in range(n):\n    g.append(input())\n    for j in range(m):\n        if g[i][j] == 'B':\n            best = max(best, j)\nprint(best)\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn a_factorial_multiplies_as_many_numbers_as_its_argument() {
    let code = "from math import factorial\nn = int(input())\nt = 0\nfor i in range(n):\n    t += factorial(i)\nprint(t)\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn an_inner_loop_that_breaks_on_a_kept_pointer_is_amortised() {
    let code = "n = int(input())\na = list(map(int, input().split()))\nj = 0\nfor i in range(n):\n    for t in range(a[i]):\n        if j >= n:\n            break\n        print(i, j)\n        j += 1\n";
    assert_eq!(time(code), "O(n)");
    let reset = "n = int(input())\na = list(map(int, input().split()))\nfor i in range(n):\n    j = 0\n    for t in range(a[i]):\n        if j >= n:\n            break\n        print(i, j)\n        j += 1\n";
    assert_eq!(
        time(reset),
        "O(n^2)",
        "a pointer reset by the outer loop is not amortised"
    );
}

#[test]
fn a_container_that_grows_in_a_loop_is_walked_at_its_final_size() {
    let code = "a = list(map(int, input().split()))\nkept = set()\nfor x in a:\n    ok = True\n    for y in kept:\n        if x % y == 0:\n            ok = False\n    if ok:\n        kept.add(x)\nprint(len(kept))\n";
    assert_eq!(time(code), "O(n^2)");
    let once = "a = list(map(int, input().split()))\nfound = []\nfor x in a:\n    for y in a:\n        if x == -y:\n            found.append(x)\n            break\nprint(sorted(found))\n";
    assert_eq!(
        time(once),
        "O(n^2)",
        "an append in a branch that leaves the loop happens once per outer pass"
    );
}

#[test]
fn a_store_into_a_list_does_not_lengthen_it() {
    let code = "n = int(input())\nbest = [0] * n\nfor i in range(n):\n    for j in range(n):\n        best[j] = max(best[j], i ^ j)\nprint(min(best))\n";
    assert_eq!(time(code), "O(n^2)");
    assert_eq!(space(code), "O(n)");
    let dict = "n = int(input())\nd = {}\nfor i in range(n):\n    for j in range(n):\n        d[i * n + j] = 1\n";
    assert_eq!(space(dict), "O(n^2)", "a dict gains a key per store");
}

#[test]
fn an_adjacency_list_passed_to_a_function_stays_one() {
    let code = "def walk(graph, root):\n    seen = [False] * len(graph)\n    stack = [root]\n    while stack:\n        u = stack.pop()\n        seen[u] = True\n        for v in graph[u]:\n            if not seen[v]:\n                stack.append(v)\n    return seen\nn = int(input())\ng = [[] for _ in range(n)]\nfor _ in range(n - 1):\n    a, b = map(int, input().split())\n    g[a].append(b)\n    g[b].append(a)\nprint(walk(g, 0))\n";
    assert_eq!(time(code), "O(n)");
}

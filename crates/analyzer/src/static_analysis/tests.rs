//! One test per rule, each on a small Python snippet.

mod classics_arrays;
mod classics_dp;
mod classics_graphs;
mod corpus_shapes;
mod degree;
mod explanations;
mod exponential;
mod fixed;
mod hidden_costs;
mod layers;
mod linear;
mod logarithmic;
mod objects;
mod rewritten_shapes;
mod third_pass;

use crate::cost::Cost;
use crate::error::Error;
use crate::model::Analysis;

/// The analysis with its time classes in one size `n`, every size taken as `n`: these tests
/// pin the walk's classes. Naming several sizes (`O(n*m)`) is tested in `sizes::tests`.
fn analyse(code: &str) -> Analysis {
    let mut a =
        super::analyze_static(code).unwrap_or_else(|e| panic!("analysis failed: {e}\n{code}"));
    if a.variables.len() > 1 {
        let one_size = |class: &mut String| {
            if let Some(cost) = Cost::parse_class(class) {
                *class = cost.to_string();
            }
        };
        one_size(&mut a.time_complexity);
        a.functions
            .iter_mut()
            .for_each(|f| one_size(&mut f.time_complexity));
    }
    a
}

fn time(code: &str) -> String {
    analyse(code).time_complexity
}

fn space(code: &str) -> String {
    analyse(code).space_complexity
}

#[test]
fn straight_line_code_is_constant() {
    assert_eq!(
        time("a, b = map(int, input().split())\nprint(a + b)\n"),
        "O(1)"
    );
    assert_eq!(
        space("a, b = map(int, input().split())\nprint(a + b)\n"),
        "O(1)"
    );
}

#[test]
fn a_loop_to_an_input_number_is_linear() {
    assert_eq!(
        time("n = int(input())\nt = 0\nfor i in range(n):\n    t += i\nprint(t)\n"),
        "O(n)"
    );
}

#[test]
fn nested_loops_multiply_and_dependent_bounds_stay_quadratic() {
    let code = "n = int(input())\nc = 0\nfor i in range(n):\n    for j in range(i, n):\n        c += 1\nprint(c)\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn sequential_loops_take_the_maximum() {
    let code = "n = int(input())\nfor i in range(n):\n    pass\nfor i in range(n):\n    for j in range(n):\n        pass\nfor k in range(n):\n    pass\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn three_nested_loops_are_cubic() {
    let code = "n = int(input())\nfor i in range(n):\n    for j in range(n):\n        for k in range(n):\n            pass\n";
    assert_eq!(time(code), "O(n^3)");
}

#[test]
fn loops_over_small_literals_are_constant() {
    assert_eq!(time("for i in range(26):\n    print(i)\n"), "O(1)");
}

#[test]
fn halving_while_loops_are_logarithmic() {
    assert_eq!(
        time("n = int(input())\nc = 0\nwhile n > 0:\n    n //= 2\n    c += 1\nprint(c)\n"),
        "O(log n)"
    );
    assert_eq!(
        time("n = int(input())\ni = 1\nwhile i < n:\n    i *= 2\n"),
        "O(log n)"
    );
}

#[test]
fn binary_search_is_logarithmic() {
    let code = "n = int(input())\nlo, hi = 0, n\nwhile lo < hi:\n    mid = (lo + hi) // 2\n    if mid * mid < n:\n        lo = mid + 1\n    else:\n        hi = mid\nprint(lo)\n";
    assert_eq!(time(code), "O(log n)");
}

#[test]
fn square_root_bounds_are_sqrt_n() {
    let code = "n = int(input())\ni = 2\nwhile i * i <= n:\n    if n % i == 0:\n        print(i)\n    i += 1\n";
    assert_eq!(time(code), "O(sqrt n)");
    assert_eq!(
        time(
            "import math\nn = int(input())\nfor i in range(1, int(math.sqrt(n)) + 1):\n    pass\n"
        ),
        "O(sqrt n)"
    );
}

#[test]
fn a_half_power_is_a_square_root_bound_and_sqrt_costs_log_n() {
    assert_eq!(
        time("n = int(input())\nfor i in range(1, int(n ** 0.5) + 1):\n    pass\n"),
        "O(sqrt n)"
    );
    assert_eq!(
        time("import math\nn = int(input())\nprint(math.isqrt(n))\n"),
        "O(log n)"
    );
}

#[test]
fn amortised_worklists_inside_loops_add_constant_work() {
    let code = "a = list(map(int, input().split()))\nstack = []\nfor x in a:\n    while stack and stack[-1] < x:\n        stack.pop()\n    stack.append(x)\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn two_pointers_inside_a_loop_are_amortised() {
    let code = "n = int(input())\na = list(map(int, input().split()))\nj = 0\nfor i in range(n):\n    while j < n and a[j] < a[i]:\n        j += 1\nprint(j)\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn sorting_is_n_log_n_and_inside_a_loop_multiplies() {
    assert_eq!(
        time("a = list(map(int, input().split()))\na.sort()\nprint(a)\n"),
        "O(n log n)"
    );
    let code = "n = int(input())\na = list(map(int, input().split()))\nfor i in range(n):\n    b = sorted(a)\n";
    assert_eq!(time(code), "O(n^2 log n)");
}

#[test]
fn membership_in_a_list_scans_but_in_a_set_hashes() {
    let list = "n = int(input())\na = list(map(int, input().split()))\nfor i in range(n):\n    if i in a:\n        print(i)\n";
    assert_eq!(time(list), "O(n^2)");
    let set = "n = int(input())\na = set(map(int, input().split()))\nfor i in range(n):\n    if i in a:\n        print(i)\n";
    assert_eq!(time(set), "O(n)");
}

#[test]
fn membership_in_a_dict_of_sets_or_a_row_dict_hashes() {
    let dict_of_sets = "a = list(map(int, input().split()))\nd = dict()\nfor i, v in enumerate(a):\n    d[v] = d.get(v, set())\n    d[v].add(i)\nfor v in a:\n    if v + 1 in d:\n        print(v)\n";
    assert_eq!(time(dict_of_sets), "O(n)");
    let rows = "a = list(map(int, input().split()))\nd = [{} for _ in range(11)]\nfor x in a:\n    d[x % 11][x] = 1\nfor x in a:\n    if x in d[x % 11]:\n        print(x)\n";
    assert_eq!(time(rows), "O(n)");
}

#[test]
fn list_pop_front_is_linear_but_deque_popleft_is_constant() {
    let list = "n = int(input())\nq = list(range(n))\nwhile q:\n    q.pop(0)\n";
    assert_eq!(time(list), "O(n^2)");
    let deque = "from collections import deque\nn = int(input())\nq = deque(range(n))\nwhile q:\n    q.popleft()\n";
    assert_eq!(time(deque), "O(n)");
}

#[test]
fn heap_operations_in_a_loop_are_n_log_n() {
    let code =
        "import heapq\nn = int(input())\nh = []\nfor i in range(n):\n    heapq.heappush(h, i)\n";
    assert_eq!(time(code), "O(n log n)");
}

#[test]
fn fibonacci_recursion_is_exponential() {
    let code = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\nprint(fib(int(input())))\n";
    let a = analyse(code);
    assert_eq!(a.time_complexity, "O(2^n)");
    let f = a
        .functions
        .iter()
        .find(|f| f.name == "fib")
        .expect("fib listed");
    assert_eq!(f.line, 1);
    assert_eq!(f.space_complexity, "O(n)");
}

#[test]
fn memoised_recursion_costs_states_times_work() {
    let code = "from functools import lru_cache\n@lru_cache(None)\ndef fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\nprint(fib(int(input())))\n";
    assert_eq!(time(code), "O(n)");
    let dict = "memo = {}\ndef f(n):\n    if n in memo:\n        return memo[n]\n    r = n if n < 2 else f(n - 1) + f(n - 2)\n    memo[n] = r\n    return r\nprint(f(int(input())))\n";
    assert_eq!(time(dict), "O(n)");
}

#[test]
fn merge_sort_is_n_log_n_by_the_master_theorem() {
    let code = "def sort(a):\n    if len(a) <= 1:\n        return a\n    mid = len(a) // 2\n    left = sort(a[:mid])\n    right = sort(a[mid:])\n    out = []\n    i = j = 0\n    while i < len(left) and j < len(right):\n        if left[i] < right[j]:\n            out.append(left[i]); i += 1\n        else:\n            out.append(right[j]); j += 1\n    return out + left[i:] + right[j:]\nprint(sort(list(map(int, input().split()))))\n";
    let a = analyse(code);
    assert_eq!(a.time_complexity, "O(n log n)");
    assert!(
        a.explanation.contains("divide and conquer"),
        "{}",
        a.explanation
    );
}

#[test]
fn binary_search_recursion_is_logarithmic() {
    let code = "def find(a, lo, hi, x):\n    if lo >= hi:\n        return lo\n    mid = (lo + hi) // 2\n    if a[mid] < x:\n        return find(a, mid + 1, hi, x)\n    return find(a, lo, mid, x)\n";
    assert_eq!(time(code), "O(log n)");
}

#[test]
fn permutations_are_factorial() {
    let code = "from itertools import permutations\ns = input()\nfor p in permutations(s):\n    print(''.join(p))\n";
    assert_eq!(time(code), "O(n!)");
}

#[test]
fn bitmask_enumeration_is_exponential() {
    let code = "n = int(input())\nfor mask in range(1 << n):\n    print(mask)\n";
    assert_eq!(time(code), "O(2^n)");
}

#[test]
fn depth_first_search_with_a_visited_set_is_linear() {
    let code = "n = int(input())\ng = [[] for _ in range(n)]\nfor _ in range(n - 1):\n    a, b = map(int, input().split())\n    g[a].append(b)\n    g[b].append(a)\nseen = [False] * n\ndef dfs(u):\n    seen[u] = True\n    for v in g[u]:\n        if not seen[v]:\n            dfs(v)\ndfs(0)\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn breadth_first_search_over_adjacency_lists_is_linear() {
    let code = "from collections import deque\nn = int(input())\ng = [[] for _ in range(n)]\nfor _ in range(n - 1):\n    a, b = map(int, input().split())\n    g[a].append(b)\nq = deque([0])\nwhile q:\n    u = q.popleft()\n    for v in g[u]:\n        q.append(v)\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn an_early_break_makes_the_branch_run_once() {
    let code = "n = int(input())\na = list(map(int, input().split()))\nfor i in range(n):\n    if a[i] == 0:\n        print(sorted(a))\n        break\n";
    assert_eq!(time(code), "O(n log n)");
}

#[test]
fn a_loop_that_always_breaks_runs_once() {
    let code =
        "n = int(input())\nfor i in range(n):\n    for j in range(n):\n        pass\n    break\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn comprehensions_count_as_loops() {
    assert_eq!(
        time("n = int(input())\nm = [[i * j for j in range(n)] for i in range(n)]\n"),
        "O(n^2)"
    );
    assert_eq!(
        space("n = int(input())\nm = [[0] * n for i in range(n)]\n"),
        "O(n^2)"
    );
}

#[test]
fn test_case_loops_count_one_case() {
    let code = "t = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    print(a * b)\n";
    assert_eq!(time(code), "O(1)");
}

#[test]
fn test_cases_that_collect_their_answers_count_one_case() {
    let code = "ans = []\nfor _ in range(int(input())):\n    n = int(input())\n    s = 0\n    for i in range(n):\n        s += i\n    ans.append(s)\nprint(ans)\n";
    assert_eq!(time(code), "O(n)");
    let reading = "n = int(input())\na = []\nfor _ in range(n):\n    a.append(int(input()))\nprint(sorted(a))\n";
    assert_eq!(
        time(reading),
        "O(n log n)",
        "a loop that only reads records is not test cases"
    );
}

#[test]
fn space_counts_lists_that_grow_in_loops() {
    let code =
        "n = int(input())\nout = []\nfor i in range(n):\n    out.append(i)\nprint(len(out))\n";
    assert_eq!(space(code), "O(n)");
    assert_eq!(
        space(
            "n = int(input())\nd = {}\nfor i in range(n):\n    for j in range(n):\n        d[(i, j)] = 1\n"
        ),
        "O(n^2)"
    );
}

#[test]
fn space_counts_recursion_depth() {
    let code = "def count(n):\n    if n == 0:\n        return 0\n    return 1 + count(n - 1)\nprint(count(int(input())))\n";
    let a = analyse(code);
    assert_eq!(a.time_complexity, "O(n)");
    assert_eq!(a.space_complexity, "O(n)");
}

#[test]
fn hotspots_point_at_the_innermost_dominant_loop() {
    let code = "def pairs(a):\n    c = 0\n    for x in a:\n        for y in a:\n            c += x * y\n    return c\n";
    let a = analyse(code);
    let f = &a.functions[0];
    assert_eq!(f.name, "pairs");
    assert_eq!(f.time_complexity, "O(n^2)");
    assert_eq!(f.hotspots[0].line, 4, "{:?}", f.hotspots);
    assert!(f.hotspots[0].reason.contains("n^2"), "{:?}", f.hotspots);
}

#[test]
fn module_scripts_get_a_module_entry_with_hotspots() {
    let a = analyse(
        "n = int(input())\nfor i in range(n):\n    for j in range(n):\n        print(i, j)\n",
    );
    assert_eq!(a.functions[0].name, "<module>");
    assert_eq!(a.functions[0].hotspots[0].line, 3);
    assert!(a.explanation.contains("line 3"), "{}", a.explanation);
}

#[test]
fn syntax_errors_give_line_and_column() {
    match super::analyze_static("x = 1\nfor i in range(3)\n    pass\n") {
        Err(Error::Syntax { line, column, .. }) => {
            assert_eq!(line, 2);
            assert!(column > 1);
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn huge_files_are_refused_with_a_clear_error() {
    let code = "x = 1\n".repeat(super::MAX_SOURCE_BYTES / 6 + 10);
    assert!(matches!(
        super::analyze_static(&code),
        Err(Error::TooLarge { .. })
    ));
}

#[test]
fn ten_thousand_nested_parentheses_do_not_overflow_the_stack() {
    let code = format!("x = {}1{}\n", "(".repeat(10_000), ")".repeat(10_000));
    let r = super::analyze_static(&code);
    assert!(
        r.is_ok() || matches!(r, Err(Error::TooDeep { .. } | Error::Syntax { .. })),
        "{r:?}"
    );
}

#[test]
fn deeply_nested_unary_operators_do_not_overflow_the_stack() {
    let code = format!("x = {}1\n", "-".repeat(200_000));
    let r = super::analyze_static(&code);
    assert!(
        matches!(r, Err(Error::TooDeep { .. } | Error::TooLarge { .. })),
        "{r:?}"
    );
}

#[test]
fn ten_thousand_nested_blocks_do_not_overflow_the_stack() {
    let mut code = String::new();
    for depth in 0..10_000 {
        code.push_str(&" ".repeat(depth));
        code.push_str("if x:\n");
    }
    code.push_str(&" ".repeat(10_000));
    code.push_str("pass\n");
    let r = super::analyze_static(&code);
    assert!(r.is_err(), "such nesting is refused, not analysed");
}

/// Time and space of the function `name`.
fn function(code: &str, name: &str) -> (String, String) {
    let analysis = analyse(code);
    let f = analysis
        .functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function {name}"));
    (f.time_complexity.clone(), f.space_complexity.clone())
}

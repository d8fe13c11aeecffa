//! Memoised functions called from loops, and user classes (data structures written as classes).

use super::time;

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

//! Exponential and constant-size work: subsets, bitmasks, test cases and reading.

use super::time;

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

//! Linear against its neighbours: loops that are or are not test cases, work bounded by n
//! over a whole loop, and log factors that are or are not there.

use super::time;

#[test]
fn a_loop_that_prints_only_before_leaving_is_not_test_cases() {
    let code = "n, s = map(int, input().split())\nfor j in range(n):\n    a, b = map(int, input().split())\n    if a > s:\n        print(j)\n        break\n";
    assert_eq!(time(code), "O(n)");
    let cases = "t = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    if a > b:\n        print(a)\n        continue\n    print(b)\n";
    assert_eq!(time(cases), "O(1)", "a case that answers and continues");
}

#[test]
fn a_name_bound_to_a_reader_reads_input() {
    let code = "import sys\nrln = sys.stdin.readline\na = list(map(int, rln().split()))\nt = 0\nfor x in a:\n    t += x\nprint(t)\n";
    assert_eq!(time(code), "O(n)");
}

#[test]
fn a_loop_that_fills_rows_of_a_table_is_not_test_cases() {
    let code = "n, m = map(int, input().split())\ns = [[] for _ in range(n)]\nfor i in range(n):\n    t = input()\n    for j in range(m):\n        if t[j] == '1':\n            s[i].append(j)\nprint(sum(len(r) for r in s))\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn the_distinct_characters_of_a_string_are_its_alphabet() {
    let code = "s = input()\nbest = 0\nfor d in set(s):\n    run = 0\n    for ch in s:\n        run = run + 1 if ch == d else 0\n        best = max(best, run)\nprint(best)\n";
    assert_eq!(time(code), "O(n)");
    let words = "a = input().split()\nfor w in set(a):\n    print(a.count(w))\n";
    assert_eq!(
        time(words),
        "O(n^2)",
        "the distinct words of a line are not"
    );
}

#[test]
fn a_list_sliced_to_its_end_is_not_a_fixed_record() {
    let code = "a = [int(x) for x in input().split()]\nif a[0] % 2 == a[2] % 2:\n    for x in a[2:]:\n        if x % 2 != a[0] % 2:\n            print(x)\n";
    assert_eq!(time(code), "O(n)");
    let record =
        "a = [int(x) for x in input().split()]\nprint(a[0] + a[2])\nfor x in a:\n    print(x)\n";
    assert_eq!(time(record), "O(1)", "a record read from a line");
}

#[test]
fn merge_sort_on_halves_kept_in_locals_is_n_log_n() {
    let code = "def ms(arr):\n    if len(arr) <= 1:\n        return arr\n    mid = len(arr) // 2\n    a = arr[:mid]\n    b = arr[mid:]\n    ms(a)\n    ms(b)\n    i = j = k = 0\n    while i < len(a) and j < len(b):\n        if a[i] < b[j]:\n            arr[k] = a[i]\n            i += 1\n        else:\n            arr[k] = b[j]\n            j += 1\n        k += 1\n    return arr\nprint(ms(list(map(int, input().split()))))\n";
    assert_eq!(time(code), "O(n log n)");
}

#[test]
fn powers_listed_by_a_comprehension_or_pow_walk_bits() {
    let code = "powers = [2 ** i for i in range(31)]\na = set(map(int, input().split()))\nc = 0\nfor x in a:\n    for p in powers:\n        if x + p in a:\n            c += 1\nprint(c)\n";
    assert_eq!(time(code), "O(n log n)");
    let digits = "n = int(input())\na = list(map(int, input().split()))\nc = 0\nfor j in range(12):\n    x = pow(10, j)\n    for v in a:\n        c += v * x % 7\nprint(c)\n";
    assert_eq!(time(digits), "O(n log n)");
    let modular =
        "n = int(input())\nt = 0\nfor i in range(n):\n    t += pow(2, i, 998244353)\nprint(t)\n";
    assert_eq!(
        time(modular),
        "O(n log n)",
        "n passes, each a modular power of log n steps"
    );
}

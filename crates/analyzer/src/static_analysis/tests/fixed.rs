//! Work over things of a fixed size: literal lists, fixed windows, fixed tables.

use super::time;

#[test]
fn a_function_given_a_fixed_literal_list_loops_over_that_list() {
    let code = "def inside(sq, pts):\n    for p in pts:\n        for q in sq:\n            if p == q:\n                return True\n    return False\n\
                x1, y1, x2, y2 = map(int, input().split())\n\
                print(inside([(x1, y1), (x2, y2)], [(0, 0), (1, 1), (2, 2)]))\n";
    assert_eq!(time(code), "O(1)");
    let big = "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n\
               a = list(map(int, input().split()))\nprint(total([1, 2, 3]), total(a))\n";
    assert_eq!(time(big), "O(n)");
}

#[test]
fn a_range_between_a_value_and_that_value_plus_a_constant_has_fixed_steps() {
    let code = "n, s = map(int, input().split())\nc = 0\nfor i in range(s, min(s + 500, n + 1)):\n    if i - sum(map(int, str(i))) >= s:\n        c += 1\nprint(c)\n";
    assert_eq!(time(code), "O(log n)");
    let window =
        "n, x = map(int, input().split())\nfor i in range(max(0, x - 3), x + 4):\n    print(i)\n";
    assert_eq!(time(window), "O(1)");
    let open = "n, s = map(int, input().split())\nfor i in range(s, n + 1):\n    print(i)\n";
    assert_eq!(time(open), "O(n)");
}

#[test]
fn a_list_unpacked_into_names_is_a_fixed_size_record() {
    let code = "a = list(map(int, input().split()))\na.sort()\nx, y, z = a\nprint(x + y + z)\n";
    assert_eq!(time(code), "O(1)");
}

#[test]
fn a_range_to_a_constant_is_constant_whatever_its_step() {
    let code = "k = int(input())\nfor i in range(0, 10, k):\n    print(i)\n";
    assert_eq!(time(code), "O(1)");
}

#[test]
fn a_fixed_string_unpacked_from_a_returned_tuple_stays_fixed_in_a_call() {
    let code = "def bits(a):\n    res = ''\n    x = ''\n    for i in range(64):\n        res += str((a + i) % 2)\n    return x, res\n\
                def count(b):\n    s = 0\n    for i in range(len(b)):\n        s += b[i] == '1'\n    return s\n\
                x, r = bits(int(input()))\nprint(count(r))\n";
    assert_eq!(time(code), "O(1)");
}

#[test]
fn sorting_a_fixed_size_record_as_it_is_read_is_constant() {
    let code = "a = sorted(map(int, input().split()))\nprint(a[0] + a[1] == a[2])\n";
    assert_eq!(time(code), "O(1)");
    let list = "a = sorted(map(int, input().split()))\nprint(a[0] + a[1])\n";
    assert_eq!(time(list), "O(n log n)");
}

#[test]
fn a_list_filled_by_a_call_is_not_fixed_size_afterwards() {
    let pairs = "def total(ps):\n    s = 0\n    for p in ps:\n        for q in ps:\n            s += p * q\n    return s\n";
    let by_parameter = format!(
        "def fill(xs, n):\n    for i in range(n):\n        xs.append(i)\n{pairs}n = int(input())\na = []\nfill(a, n)\nprint(total(a))\n"
    );
    assert_eq!(time(&by_parameter), "O(n^2)");
    let global = format!(
        "primes = []\ndef sieve(n):\n    for i in range(2, n):\n        primes.append(i)\n{pairs}n = int(input())\nsieve(n)\nprint(total(primes))\n"
    );
    assert_eq!(time(&global), "O(n^2)");
}

#[test]
fn a_global_a_called_function_adds_to_is_not_fixed_size_afterwards() {
    let pairs = "c = 0\nfor p in xs:\n    for q in xs:\n        c += p * q\nprint(c)\n";
    let appended = format!(
        "xs = []\ndef sieve(n):\n    for i in range(2, n):\n        xs.append(i)\nn = int(input())\nsieve(n)\n{pairs}"
    );
    assert_eq!(time(&appended), "O(n^2)");
    let nested = format!(
        "xs = {{}}\ndef fill(n):\n    for i in range(n):\n        xs[i] = i\ndef run(n):\n    fill(n)\nn = int(input())\nrun(n)\n{pairs}"
    );
    assert_eq!(time(&nested), "O(n^2)", "a dict filled by a nested call");
    let in_loop = format!(
        "xs = []\ndef add(x):\n    xs.append(x)\nn = int(input())\nfor i in range(n):\n    add(i)\n{pairs}"
    );
    assert_eq!(time(&in_loop), "O(n^2)", "one element per call, n calls");
    let by_parameter = format!(
        "def add(a, x):\n    a.append(x)\nn = int(input())\nxs = []\nfor i in range(n):\n    add(xs, i)\n{pairs}"
    );
    assert_eq!(time(&by_parameter), "O(n^2)");
    let rebound = format!(
        "xs = []\ndef build(n):\n    global xs\n    xs = [0] * n\nn = int(input())\nbuild(n)\n{pairs}"
    );
    assert_eq!(time(&rebound), "O(n^2)");
    let augmented = format!(
        "xs = []\ndef sieve(n):\n    global xs\n    for i in range(n):\n        xs += [i]\nn = int(input())\nsieve(n)\n{pairs}"
    );
    assert_eq!(time(&augmented), "O(n^2)");
}

#[test]
fn a_global_a_function_reads_into_is_the_modules_afterwards() {
    let code = "def read():\n    global xs\n    xs = list(map(int, input().split()))\nread()\nc = 0\nfor p in xs:\n    for q in xs:\n        c += p * q\nprint(c)\n";
    assert_eq!(time(code), "O(n^2)");
    let fixed = "def read():\n    global xs\n    xs = [1, 2, 3]\nread()\nn = int(input())\nc = 0\nfor i in range(n):\n    for q in xs:\n        c += q\nprint(c)\n";
    assert_eq!(time(fixed), "O(n)");
}

#[test]
fn a_global_a_call_only_resets_or_shadows_stays_fixed_size() {
    let pairs = "c = 0\nfor p in xs:\n    for q in xs:\n        c += p * q\nprint(c)\n";
    let reset = format!(
        "xs = []\ndef solve(n):\n    global xs\n    xs = []\n    t = 0\n    for i in range(n):\n        t += i\n    return t\nn = int(input())\nprint(solve(n))\n{pairs}"
    );
    assert_eq!(time(&reset), "O(n)");
    let local = format!(
        "xs = []\ndef solve(n):\n    xs = []\n    for i in range(n):\n        xs.append(i)\n    return len(xs)\nn = int(input())\nprint(solve(n))\n{pairs}"
    );
    assert_eq!(time(&local), "O(n)");
    let list_store = format!(
        "xs = [0, 0, 0]\ndef put(n):\n    for i in range(n):\n        xs[i % 3] = i\nn = int(input())\nput(n)\n{pairs}"
    );
    assert_eq!(
        time(&list_store),
        "O(n)",
        "a store into a list does not add to it"
    );
    let stack = format!(
        "xs = []\ndef walk(i, n):\n    if i == n:\n        return\n    xs.append(i)\n    walk(i + 1, n)\n    xs.pop()\nn = int(input())\nwalk(0, n)\n{pairs}"
    );
    assert_eq!(time(&stack), "O(n)", "pushed and popped again");
}

#[test]
fn a_program_that_reads_no_input_is_as_costly_as_the_functions_it_tries() {
    let pairs = "def count_pairs(items):\n    count = 0\n    for a in items:\n        for b in items:\n            if a < b:\n                count += 1\n    return count\n\ndata = list(range(200))\nprint(count_pairs(data))\n";
    assert_eq!(time(pairs), "O(n^2)");
    let fib = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\nprint(fib(30))\n";
    assert_eq!(time(fib), "O(2^n)");
    let read = format!(
        "k = int(input())\n{}",
        pairs.replace("list(range(200))", "[1, 2, 3]")
    );
    assert_eq!(
        time(&read),
        "O(1)",
        "a program that reads input tries it on 3 fixed values"
    );
}

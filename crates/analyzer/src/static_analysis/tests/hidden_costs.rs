//! Costs hidden in single lines (methods that scan, conversions, Python 2 readers) and the
//! loops they sit in.

use super::time;

#[test]
fn python_2_raw_input_reads_a_line_like_input() {
    let code = "n = int(raw_input())\na = list(map(int, raw_input().split()))\nfor i in range(n):\n    for j in range(n):\n        print(a[i] + a[j])\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn converting_a_string_in_a_given_base_reads_every_digit() {
    let code =
        "n, m = map(int, input().split())\na = [int(input(), 2) for _ in range(n)]\nprint(a)\n";
    assert_eq!(time(code), "O(n^2)");
    let one = "n = int(input())\nprint(n * 2)\n";
    assert_eq!(
        time(one),
        "O(1)",
        "a number read without a base is not scanned"
    );
}

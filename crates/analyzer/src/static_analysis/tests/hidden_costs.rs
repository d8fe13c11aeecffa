//! Costs hidden in single lines (methods that scan, conversions, Python 2 readers) and the
//! loops they sit in.

use super::time;

#[test]
fn python_2_raw_input_reads_a_line_like_input() {
    let code = "n = int(raw_input())\na = list(map(int, raw_input().split()))\nfor i in range(n):\n    for j in range(n):\n        print(a[i] + a[j])\n";
    assert_eq!(time(code), "O(n^2)");
}

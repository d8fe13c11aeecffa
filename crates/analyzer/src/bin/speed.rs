//! Speed of the static analyzer on a generated 1,000-line program (prints figures).

use std::time::Instant;

use code_remote_analyzer::analyze_static;

const LINES: usize = 1_000;
const RUNS: u32 = 200;

fn main() {
    let program = generate(LINES);
    let lines = program.lines().count();
    let warm = analyze_static(&program).expect("the generated program is valid Python");
    let start = Instant::now();
    for _ in 0..RUNS {
        let _ = analyze_static(&program);
    }
    let per_run = start.elapsed() / RUNS;
    println!(
        "static analysis of a {lines}-line program ({} bytes, answer {}): {:.3} ms per run (mean of {RUNS})",
        program.len(),
        warm.time_complexity,
        per_run.as_secs_f64() * 1e3
    );
}

/// A realistic mix: functions with loops, comprehensions, sorting, recursion and a script.
fn generate(lines: usize) -> String {
    let mut out = String::from(
        "import sys\nfrom collections import deque\nn = int(input())\na = list(map(int, input().split()))\n",
    );
    let mut i = 0;
    while out.lines().count() + 12 < lines {
        out.push_str(&format!(
            "def f{i}(xs, k):\n    total = 0\n    for x in xs:\n        if x % 2 == 0:\n            total += x\n        for y in range(k):\n            total ^= y\n    ys = sorted(xs)\n    q = deque(ys)\n    while q:\n        total += q.popleft()\n    return total\n"
        ));
        i += 1;
    }
    while out.lines().count() < lines {
        out.push_str(&format!(
            "print(f{}(a, n))\n",
            out.lines().count() % i.max(1)
        ));
    }
    out
}

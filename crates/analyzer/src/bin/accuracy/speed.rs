//! Speed of the static analyzer on a generated 1,000-line program (shared with `speed`).

use std::time::{Duration, Instant};

use code_remote_analyzer::analyze_static;

/// Lines of the generated program.
pub const LINES: usize = 1_000;

/// What one speed measurement found.
pub struct Speed {
    pub lines: usize,
    pub bytes: usize,
    pub answer: String,
    /// Median and fastest of `runs` analyses.
    pub median: Duration,
    pub fastest: Duration,
    pub runs: u32,
}

/// Analyses the generated program `runs` times (after one warm-up run).
pub fn measure(runs: u32) -> Speed {
    let program = generate(LINES);
    let answer = analyze_static(&program)
        .map(|a| a.time_complexity)
        .unwrap_or_else(|e| format!("error: {e}"));
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            let _ = analyze_static(&program);
            start.elapsed()
        })
        .collect();
    times.sort();
    Speed {
        lines: program.lines().count(),
        bytes: program.len(),
        answer,
        median: times[times.len() / 2],
        fastest: times[0],
        runs: runs.max(1),
    }
}

/// A realistic mix: functions with loops, comprehensions, sorting, recursion and a script.
pub fn generate(lines: usize) -> String {
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

//! End to end: the generated harness runs under a plain `python3` subprocess (standing in for
//! the sandbox, which the server wires in) and the fit recognises the growth.

use std::process::Command;
use std::time::Duration;

use code_remote_analyzer::{
    Analyzer, AnalyzerConfig, Measure, MeasureOutput, Mode, Source, add_measurement, empirical,
};

struct Python;

impl Measure for Python {
    fn run_python(&self, code: &str, time_limit: Duration) -> Result<MeasureOutput, String> {
        let out = Command::new("timeout")
            .arg(format!("{}", time_limit.as_secs()))
            .arg("python3")
            .arg("-c")
            .arg(code)
            .output()
            .map_err(|e| e.to_string())?;
        Ok(MeasureOutput {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            succeeded: out.status.success(),
        })
    }
}

fn python_available() -> bool {
    let ok = Command::new("python3")
        .arg("-c")
        .arg("pass")
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        // In CI (scripts/test sets this) a missing interpreter fails rather than skips.
        if std::env::var("CODE_REMOTE_REQUIRE_SANDBOX").is_ok_and(|v| v == "1") {
            panic!("python3 is required for the measurement tests but is not installed");
        }
        eprintln!("SKIPPED: python3 is not installed");
    }
    ok
}

/// What the server does in empirical mode: the static answer, then a worker's measurement.
async fn measure(code: &str) -> code_remote_analyzer::Analysis {
    let mut analysis = Analyzer::new(AnalyzerConfig::default())
        .unwrap()
        .analyze(code, Mode::Empirical)
        .await
        .unwrap();
    let measured = empirical::measure(code, &Python).map_err(|e| e.to_string());
    add_measurement(&mut analysis, measured);
    analysis
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quadratic_function_measures_as_quadratic() {
    if !python_available() {
        return;
    }
    let code = "def pairs(arr: list) -> int:\n    c = 0\n    for x in arr:\n        for y in arr:\n            if x < y:\n                c += 1\n    return c\n";
    let a = measure(code).await;
    let m = a.measurements.expect("measured");
    assert_eq!(m.function, "pairs");
    assert!(m.points.len() >= 4, "{:?}", m.points);
    assert!(m.points.windows(2).all(|w| w[0].n < w[1].n));
    assert!(
        m.verdict.starts_with("O(n^2"),
        "verdict {} from {:?}",
        m.verdict,
        m.points
    );
    assert_eq!(a.source, Source::Combined);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linear_script_reading_stdin_measures_as_linear() {
    if !python_available() {
        return;
    }
    let code = "n = int(input())\na = list(map(int, input().split()))\ns = 0\nfor x in a:\n    s += x * x\nprint(s)\n";
    let a = measure(code).await;
    let m = a.measurements.expect("measured");
    assert_eq!(m.function, "<module>");
    assert!(
        matches!(m.verdict.as_str(), "O(n)" | "O(n log n)"),
        "verdict {} from {:?}",
        m.verdict,
        m.points
    );
}

#[tokio::test]
async fn a_crashing_program_gives_a_note_not_an_error() {
    if !python_available() {
        return;
    }
    let a = measure("def f(arr):\n    raise ValueError('boom')\n").await;
    assert!(a.measurements.is_none());
    assert!(a.notes.iter().any(|n| n.contains("boom")), "{:?}", a.notes);
}

#[tokio::test]
async fn empirical_mode_alone_is_the_static_answer_until_a_measurement_is_added() {
    let a = Analyzer::new(AnalyzerConfig::default())
        .unwrap()
        .analyze("def f(a):\n    return sorted(a)\n", Mode::Empirical)
        .await
        .unwrap();
    assert_eq!(a.source, Source::Static);
    assert!(a.measurements.is_none());
}

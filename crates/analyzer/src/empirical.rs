//! Empirical measurement: pick the function that takes a sized input, generate a Python
//! harness that times it at growing sizes, run it through the caller's [`Measure`] (the
//! sandbox), and fit the candidate classes to the points. It checks the static answer; it
//! never runs Python itself.

mod fit;
mod harness;

use std::time::Duration;

pub use fit::{Fit, fit};
pub use harness::{Target, choose_target, harness};

use crate::model::{MeasuredPoint, Measurements};

/// Total wall-clock budget of one measurement run, sandbox start-up included.
pub const TOTAL_BUDGET: Duration = Duration::from_secs(10);
/// The harness stops growing the input after this much of the budget.
pub const HARNESS_BUDGET: Duration = Duration::from_secs(6);
/// At least this many sizes are needed for a verdict.
pub const MIN_POINTS: usize = 4;

/// What the caller's sandbox returns for one Python run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureOutput {
    pub stdout: String,
    pub stderr: String,
    pub succeeded: bool,
}

/// Runs Python code somewhere safe (the sandbox) within a time limit.
pub trait Measure: Send + Sync {
    fn run_python(&self, code: &str, time_limit: Duration) -> Result<MeasureOutput, String>;
}

/// Why a measurement gave no verdict.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MeasureError {
    #[error("the program could not be parsed for measurement")]
    Unparsable,
    #[error("the sandbox could not run the harness: {0}")]
    Sandbox(String),
    #[error("the measured program failed: {0}")]
    ProgramFailed(String),
    #[error("only {got} sizes could be timed within the budget; at least {MIN_POINTS} are needed")]
    TooFewPoints { got: usize },
}

/// Times the program at growing sizes and fits a class.
pub fn measure(code: &str, runner: &dyn Measure) -> Result<Measurements, MeasureError> {
    let target = choose_target(code).ok_or(MeasureError::Unparsable)?;
    let script = harness(code, &target, HARNESS_BUDGET);
    let output = runner
        .run_python(&script, TOTAL_BUDGET)
        .map_err(MeasureError::Sandbox)?;
    let points = parse_points(&output.stdout);
    if points.len() < MIN_POINTS {
        if !output.succeeded && points.is_empty() {
            let last = output
                .stderr
                .lines()
                .last()
                .unwrap_or("no output")
                .to_owned();
            return Err(MeasureError::ProgramFailed(last));
        }
        return Err(MeasureError::TooFewPoints { got: points.len() });
    }
    let best = fit(&points);
    Ok(Measurements {
        function: target.label(),
        points,
        verdict: best.class.to_string(),
        confidence: best.confidence,
    })
}

/// Reads the harness's `@@point n seconds` lines.
fn parse_points(stdout: &str) -> Vec<MeasuredPoint> {
    stdout
        .lines()
        .filter_map(|line| {
            let mut parts = line.strip_prefix(harness::POINT_PREFIX)?.split_whitespace();
            let n = parts.next()?.parse().ok()?;
            let seconds: f64 = parts.next()?.parse().ok()?;
            (seconds.is_finite() && seconds >= 0.0).then_some(MeasuredPoint { n, seconds })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_lines_are_read_and_noise_ignored() {
        let out = "hello\n@@point 16 0.001\n@@point 32 nan\n@@point x 1\n@@point 64 0.004\n";
        let pts = parse_points(out);
        assert_eq!(pts.len(), 2);
        assert_eq!(pts[1].n, 64);
    }
}

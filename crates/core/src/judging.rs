//! Test cases and verdicts: a program run once per test case (each in a fresh sandbox), its
//! output compared with the expected output, and the verdicts summed up.
//!
//! This module only decides verdicts and bounds; running the tests is the worker's job.

use serde::{Deserialize, Serialize};

use crate::JobStatus;

/// Most test cases one execution may carry.
pub const MAX_TESTS: usize = 64;
/// Longest test name, in characters.
pub const MAX_TEST_NAME_CHARS: usize = 100;
/// Largest stdin or expected output of one test case, in bytes.
pub const MAX_TEST_IO_BYTES: usize = 1024 * 1024;
/// Largest stdin and expected output of all test cases together, in bytes.
pub const MAX_TESTS_TOTAL_BYTES: usize = 2 * 1024 * 1024;
/// Bytes of each stream a test result keeps (the comparison sees the whole output).
pub const TEST_OUTPUT_KEEP_BYTES: usize = 16 * 1024;

/// One test case: the input given to the program and the output expected of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// Shown with the result; `test N` (1-based) when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub stdin: String,
    pub expected_output: String,
}

/// How actual output is compared with the expected output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// As Judge0 does: trailing whitespace of every line and trailing blank lines are ignored.
    #[default]
    IgnoreTrailingWhitespace,
    /// Byte for byte.
    Exact,
}

/// The test cases of one execution and how their output is compared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSuite {
    #[serde(default)]
    pub compare: Compare,
    pub cases: Vec<TestCase>,
}

/// A test case that breaks a bound, in words for the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TestsError {
    #[error("tests must not be empty (leave the field out to run without tests)")]
    Empty,
    #[error("at most {MAX_TESTS} tests may be given")]
    TooMany,
    #[error("tests[{0}].name must be at most {MAX_TEST_NAME_CHARS} characters")]
    NameTooLong(usize),
    #[error("tests[{index}].{field} must be at most {} KiB", MAX_TEST_IO_BYTES / 1024)]
    TooLarge { index: usize, field: &'static str },
    #[error("the stdin and expected_output of all tests together must be at most {} KiB", MAX_TESTS_TOTAL_BYTES / 1024)]
    TotalTooLarge,
}

impl TestSuite {
    /// Checks every bound of [`MAX_TESTS`] and its siblings.
    pub fn check(&self) -> Result<(), TestsError> {
        if self.cases.is_empty() {
            return Err(TestsError::Empty);
        }
        if self.cases.len() > MAX_TESTS {
            return Err(TestsError::TooMany);
        }
        let mut total = 0usize;
        for (index, case) in self.cases.iter().enumerate() {
            if case
                .name
                .as_ref()
                .is_some_and(|name| name.chars().count() > MAX_TEST_NAME_CHARS)
            {
                return Err(TestsError::NameTooLong(index));
            }
            for (field, text) in [
                ("stdin", &case.stdin),
                ("expected_output", &case.expected_output),
            ] {
                if text.len() > MAX_TEST_IO_BYTES {
                    return Err(TestsError::TooLarge { index, field });
                }
                total += text.len();
            }
        }
        if total > MAX_TESTS_TOTAL_BYTES {
            return Err(TestsError::TotalTooLarge);
        }
        Ok(())
    }

    /// The name a test result carries: its own, or `test N`.
    pub fn name_of(&self, index: usize) -> String {
        self.cases
            .get(index)
            .and_then(|case| case.name.clone())
            .unwrap_or_else(|| format!("test {}", index + 1))
    }
}

/// How one test (or, summed up, a whole execution) ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accepted,
    WrongAnswer,
    TimeLimitExceeded,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    /// Non-zero exit or a fatal signal.
    RuntimeError,
    /// The platform failed to run the test.
    InternalError,
}

impl Verdict {
    /// The verdict of one run that ended with `status` (the program's status, not a
    /// cancellation) and printed `stdout`.
    pub fn of_run(status: JobStatus, expected: &str, stdout: &str, compare: Compare) -> Self {
        match status {
            JobStatus::Succeeded if outputs_match(expected, stdout, compare) => Self::Accepted,
            JobStatus::Succeeded => Self::WrongAnswer,
            JobStatus::Failed => Self::RuntimeError,
            JobStatus::TimedOut => Self::TimeLimitExceeded,
            JobStatus::MemoryExceeded => Self::MemoryLimitExceeded,
            JobStatus::OutputExceeded => Self::OutputLimitExceeded,
            JobStatus::Queued
            | JobStatus::Running
            | JobStatus::Cancelled
            | JobStatus::InternalError => Self::InternalError,
        }
    }

    /// The verdict of a whole execution: `accepted` when every test was, otherwise the verdict
    /// of the first test that was not. `None` for no tests.
    pub fn summary(results: &[TestResult]) -> Option<Self> {
        let first = results.first()?;
        Some(
            results
                .iter()
                .find(|result| result.verdict != Self::Accepted)
                .unwrap_or(first)
                .verdict,
        )
    }
}

/// Judge0's `strip`: trailing whitespace off every line, then trailing blank lines (so `\r\n`
/// line ends compare equal to `\n`).
pub fn strip_trailing_whitespace(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim_end().to_owned()
}

/// Whether `actual` is the `expected` output under `compare`.
pub fn outputs_match(expected: &str, actual: &str, compare: Compare) -> bool {
    match compare {
        Compare::Exact => expected == actual,
        Compare::IgnoreTrailingWhitespace => {
            strip_trailing_whitespace(expected) == strip_trailing_whitespace(actual)
        }
    }
}

/// What one test produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TestResult {
    pub name: String,
    pub verdict: Verdict,
    /// The first [`TEST_OUTPUT_KEEP_BYTES`] bytes of what the program printed.
    pub stdout: String,
    pub stderr: String,
    /// The program printed more than is kept here.
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    /// Wall-clock time of the run.
    pub time_ms: u64,
    pub cpu_time_ms: u64,
    pub peak_memory_kib: u64,
}

/// `text` cut to at most `max` bytes on a character boundary, and whether it was cut.
pub fn keep_prefix(text: &str, max: usize) -> (String, bool) {
    if text.len() <= max {
        return (text.to_owned(), false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (text[..end].to_owned(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(verdict: Verdict) -> TestResult {
        TestResult {
            name: "t".into(),
            verdict,
            stdout: String::new(),
            stderr: String::new(),
            stdout_truncated: false,
            stderr_truncated: false,
            exit_code: Some(0),
            signal: None,
            time_ms: 1,
            cpu_time_ms: 1,
            peak_memory_kib: 1,
        }
    }

    #[test]
    fn trailing_whitespace_is_ignored_unless_exact_is_asked() {
        let compare = Compare::IgnoreTrailingWhitespace;
        assert!(outputs_match("1\n2", "1  \r\n2\n\n", compare));
        assert!(!outputs_match("1\n2", " 1\n2", compare));
        assert!(!outputs_match("1\n2", "1\n2\n", Compare::Exact));
        assert!(outputs_match("1\n2\n", "1\n2\n", Compare::Exact));
    }

    #[test]
    fn a_runs_status_decides_before_its_output() {
        let verdict = |status| Verdict::of_run(status, "4", "4\n", Compare::default());
        assert_eq!(verdict(JobStatus::Succeeded), Verdict::Accepted);
        assert_eq!(verdict(JobStatus::Failed), Verdict::RuntimeError);
        assert_eq!(verdict(JobStatus::TimedOut), Verdict::TimeLimitExceeded);
        assert_eq!(
            verdict(JobStatus::MemoryExceeded),
            Verdict::MemoryLimitExceeded
        );
        assert_eq!(
            verdict(JobStatus::OutputExceeded),
            Verdict::OutputLimitExceeded
        );
        assert_eq!(
            Verdict::of_run(JobStatus::Succeeded, "5", "4\n", Compare::default()),
            Verdict::WrongAnswer
        );
    }

    #[test]
    fn the_summary_is_the_first_failing_verdict() {
        use Verdict::*;
        assert_eq!(Verdict::summary(&[]), None);
        let all = [result(Accepted), result(Accepted)];
        assert_eq!(Verdict::summary(&all), Some(Accepted));
        let mixed = [
            result(Accepted),
            result(TimeLimitExceeded),
            result(WrongAnswer),
        ];
        assert_eq!(Verdict::summary(&mixed), Some(TimeLimitExceeded));
    }

    #[test]
    fn every_bound_is_checked() {
        let case = |stdin: usize, expected: usize| TestCase {
            name: None,
            stdin: "x".repeat(stdin),
            expected_output: "y".repeat(expected),
        };
        let suite = |cases| TestSuite {
            compare: Compare::default(),
            cases,
        };
        assert_eq!(suite(vec![]).check(), Err(TestsError::Empty));
        assert_eq!(
            suite(vec![case(0, 1); MAX_TESTS + 1]).check(),
            Err(TestsError::TooMany)
        );
        assert!(suite(vec![case(0, 1); MAX_TESTS]).check().is_ok());
        let long_name = TestCase {
            name: Some("n".repeat(MAX_TEST_NAME_CHARS + 1)),
            ..case(0, 0)
        };
        assert_eq!(
            suite(vec![case(0, 0), long_name]).check(),
            Err(TestsError::NameTooLong(1))
        );
        assert_eq!(
            suite(vec![case(MAX_TEST_IO_BYTES + 1, 0)]).check(),
            Err(TestsError::TooLarge {
                index: 0,
                field: "stdin"
            })
        );
        let big = case(MAX_TEST_IO_BYTES, 0);
        assert_eq!(
            suite(vec![big.clone(), big.clone(), big]).check(),
            Err(TestsError::TotalTooLarge)
        );
    }

    #[test]
    fn kept_output_is_cut_on_a_character_boundary() {
        assert_eq!(keep_prefix("héllo", 2), ("h".to_owned(), true));
        assert_eq!(keep_prefix("hi", 2), ("hi".to_owned(), false));
    }
}

//! The test cases of an execution request, checked against their bounds.

use code_remote_core::{Compare, TestCase, TestSuite};

use crate::error::ApiError;

/// The tests to run, or `None` for an ordinary run. Tests take their stdin from each case, so
/// they cannot be combined with `stdin` or `interactive`; `compare` needs tests.
pub(crate) fn suite(
    tests: Option<Vec<TestCase>>,
    compare: Option<Compare>,
    stdin: &str,
    interactive: bool,
) -> Result<Option<TestSuite>, ApiError> {
    let Some(cases) = tests else {
        if compare.is_some() {
            return Err(ApiError::validation(
                "compare",
                "compare applies to tests: give tests too",
            ));
        }
        return Ok(None);
    };
    if !stdin.is_empty() {
        return Err(ApiError::validation(
            "stdin",
            "give each test its own stdin instead of a top-level stdin",
        ));
    }
    if interactive {
        return Err(ApiError::validation(
            "interactive",
            "an execution with tests cannot be interactive",
        ));
    }
    let suite = TestSuite {
        compare: compare.unwrap_or_default(),
        cases,
    };
    suite
        .check()
        .map_err(|err| ApiError::validation("tests", err.to_string()))?;
    Ok(Some(suite))
}

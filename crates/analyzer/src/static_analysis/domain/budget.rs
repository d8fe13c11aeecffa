//! The bounds of one analysis: nesting depth, visited nodes and wall-clock time.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How deep statements and expressions may nest before the analyzer gives up.
pub const MAX_DEPTH: usize = 400;
/// How many AST nodes one analysis may visit (function bodies are visited once each).
pub const MAX_STEPS: u64 = 5_000_000;
/// Wall-clock budget for one analysis.
pub const TIME_BUDGET: Duration = Duration::from_secs(2);
/// How deeply lambdas may call lambdas.
pub const MAX_LAMBDA_DEPTH: u32 = 8;

/// What one analysis has used of its bounds.
#[derive(Debug)]
pub struct Budget {
    depth: usize,
    steps: u64,
    deadline: Instant,
    /// Lambdas being evaluated inside one another.
    pub lambda_depth: u32,
}

impl Budget {
    pub fn new() -> Budget {
        Budget {
            depth: 0,
            steps: 0,
            deadline: Instant::now() + TIME_BUDGET,
            lambda_depth: 0,
        }
    }

    /// Counts one visited node and enforces the depth and time budgets.
    pub fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::TooDeep { limit: MAX_DEPTH });
        }
        self.steps += 1;
        if self.steps > MAX_STEPS
            || (self.steps.is_multiple_of(4096) && Instant::now() > self.deadline)
        {
            return Err(Error::Budget {
                steps: MAX_STEPS,
                millis: u64::try_from(TIME_BUDGET.as_millis()).unwrap_or(u64::MAX),
            });
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth -= 1;
    }
}

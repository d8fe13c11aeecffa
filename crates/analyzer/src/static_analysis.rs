//! Static complexity analysis over the Python AST (the offline default).
//!
//! The program is walked once: loops multiply their body's cost by their iteration count,
//! statements in sequence take the maximum, branches the worse side; calls of user functions
//! use a summary computed once per function, and self-calls are solved as recurrences. It does
//! not execute anything and models a single input size `n`.

mod domain;
mod facts;
mod interp;
mod report;
mod sizes;
mod summaries;
mod syntax;

use crate::error::{Error, Result};
use crate::model::Analysis;
use domain::rules::{Firings, Rule};
use facts::ProgramFacts;
use interp::walker::{self, Ctx, Walker};
use syntax::lines::LineIndex;

/// Largest program analysed, in bytes (the execution limit for code is the same).
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;
/// Stack of the analysis thread. Dropping a pathologically deep syntax tree recurses once per
/// level; this covers the deepest tree a `MAX_SOURCE_BYTES` program can produce.
const ANALYSIS_STACK_BYTES: usize = 512 << 20;

/// Analyses a program statically: whole-program and per-function time and space, hotspots
/// and an explanation. Bounded in size, depth and time; never overflows the stack.
pub fn analyze_static(code: &str) -> Result<Analysis> {
    Ok(analyze_traced(code)?.0)
}

/// Like `analyze_static`, and also says how often each named rule of the registry decided a
/// loop's trip count or a recurrence: `(rule name, firings)` in registry order, every rule
/// listed. For the `accuracy` program.
pub fn analyze_static_with_rules(code: &str) -> Result<(Analysis, Vec<(&'static str, u32)>)> {
    let (analysis, fired) = analyze_traced(code)?;
    let counts = Rule::ALL
        .iter()
        .map(|rule| (rule.name(), fired.count(*rule)))
        .collect();
    Ok((analysis, counts))
}

fn analyze_traced(code: &str) -> Result<(Analysis, Firings)> {
    if code.len() > MAX_SOURCE_BYTES {
        return Err(Error::TooLarge {
            limit: MAX_SOURCE_BYTES,
        });
    }
    on_analysis_stack(|| analyze_here(code))?
}

/// Runs `f` on a thread whose stack can hold the deepest syntax tree the size cap allows.
pub(crate) fn on_analysis_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Result<T> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("complexity-analysis".to_owned())
            .stack_size(ANALYSIS_STACK_BYTES)
            .spawn_scoped(scope, f)
            .map_err(Error::Thread)?;
        handle.join().map_err(|_| Error::Aborted)
    })
}

fn analyze_here(code: &str) -> Result<(Analysis, Firings)> {
    let lines = LineIndex::new(code);
    let parsed = ruff_python_parser::parse_module(code).map_err(|e| {
        let (line, column) = lines.line_column(code, e.location.start());
        Error::Syntax {
            line,
            column,
            message: e.error.to_string(),
        }
    })?;
    let suite = parsed.suite();
    let facts = ProgramFacts::gather(suite)?;
    let mut walker = Walker::new(&lines, facts);
    let flow = walker.block(suite, Ctx::TOP)?;
    let flow = walker::Flow {
        time: flow.total(),
        ..flow.settled()
    };
    let analysis = report::build(&mut walker, suite, flow)?;
    Ok((analysis, walker.fired))
}

#[cfg(test)]
mod tests;

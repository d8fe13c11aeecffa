//! Static complexity analysis over the Python AST (the offline default).
//!
//! The program is walked once: loops multiply their body's cost by their iteration count,
//! statements in sequence take the maximum, branches the worse side; calls of user functions
//! use a summary computed once per function, and self-calls are solved as recurrences. It does
//! not execute anything and models a single input size `n`.

mod builtins;
mod calls;
mod classes;
mod effects;
mod exprs;
mod flow;
mod growth;
mod lines;
mod loops;
mod marks;
mod memo;
mod patterns;
mod ranges;
mod recursion;
mod report;
mod scan;
mod solve;
mod tables;
mod values;
mod visits;
mod walker;

use ruff_python_ast::Stmt;

use crate::error::{Error, Result};
use crate::model::Analysis;
use lines::LineIndex;
use walker::{Ctx, Walker};

/// Largest program analysed, in bytes (the execution limit for code is the same).
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;
/// Stack of the analysis thread. Dropping a pathologically deep syntax tree recurses once per
/// level; this covers the deepest tree a `MAX_SOURCE_BYTES` program can produce.
const ANALYSIS_STACK_BYTES: usize = 512 << 20;

/// Analyses a program statically: whole-program and per-function time and space, hotspots
/// and an explanation. Bounded in size, depth and time; never overflows the stack.
pub fn analyze_static(code: &str) -> Result<Analysis> {
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

fn analyze_here(code: &str) -> Result<Analysis> {
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
    let mut walker = Walker::new(&lines);
    register_functions(&mut walker, suite, 0, false)?;
    walker.records = scan::record_names(suite);
    walker.clears_caches = scan::calls_any(suite, &["cache_clear"]);
    walker.reads_input = scan::reads_input(suite);
    tables::stored_tables(suite, &mut walker.frame().stored_tables);
    let defs: Vec<_> = walker
        .funcs
        .values()
        .copied()
        .chain(walker.classes.methods())
        .collect();
    for def in defs {
        if scan::calls_any(&def.body, scan::INPUT_READERS) {
            walker.readers.push(def.name.as_str());
        }
        if scan::calls_any(&def.body, scan::OUTPUT_WRITERS) {
            walker.writers.push(def.name.as_str());
        }
    }
    let flow = walker.block(suite, Ctx::TOP)?;
    let flow = walker::Flow {
        time: flow.total(),
        ..flow.settled()
    };
    report::build(&mut walker, suite, flow)
}

/// Makes every `def` outside a class body callable by name, and registers classes with their
/// methods.
fn register_functions<'a>(
    walker: &mut Walker<'a>,
    body: &'a [Stmt],
    depth: usize,
    class_body: bool,
) -> Result<()> {
    if depth > walker::MAX_DEPTH {
        return Err(Error::TooDeep {
            limit: walker::MAX_DEPTH,
        });
    }
    for stmt in body {
        match stmt {
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    if let Some(local) = &alias.asname {
                        walker
                            .aliases
                            .insert(local.to_string(), alias.name.to_string());
                    }
                }
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    if let Some(local) = &alias.asname {
                        walker
                            .aliases
                            .insert(local.to_string(), alias.name.to_string());
                    }
                }
            }
            // A bare name never calls a method: inside `class Read`, `int(x)` is the builtin
            // even when the class defines a method `int`. Methods live in `walker.classes`.
            Stmt::FunctionDef(f) => {
                if !class_body {
                    walker.funcs.insert(f.name.to_string(), f);
                }
                register_functions(walker, &f.body, depth + 1, false)?;
            }
            Stmt::ClassDef(c) => {
                walker.classes.register(c);
                register_functions(walker, &c.body, depth + 1, true)?;
            }
            Stmt::If(s) => {
                register_functions(walker, &s.body, depth + 1, class_body)?;
                for clause in &s.elif_else_clauses {
                    register_functions(walker, &clause.body, depth + 1, class_body)?;
                }
            }
            Stmt::For(s) => register_functions(walker, &s.body, depth + 1, class_body)?,
            Stmt::While(s) => register_functions(walker, &s.body, depth + 1, class_body)?,
            Stmt::With(s) => register_functions(walker, &s.body, depth + 1, class_body)?,
            Stmt::Try(s) => register_functions(walker, &s.body, depth + 1, class_body)?,
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

//! Turns the walk's results into the analysis object: classes, hotspots, explanation, confidence.

use ruff_python_ast::{Stmt, StmtFunctionDef};

use crate::cost::Cost;
use crate::error::Result;
use crate::model::{Analysis, FunctionAnalysis, Hotspot, Source};
use crate::static_analysis::interp::walker::{Contribution, Flow, Summary, Walker};
use crate::static_analysis::sizes::{self, Program};

/// Hotspots listed per function at most.
const MAX_HOTSPOTS: usize = 3;
/// Confidence of a plain answer, and what each guess made on the way costs.
const BASE_CONFIDENCE: f64 = 0.85;
const CONFIDENCE_PER_GUESS: f64 = 0.1;
const MIN_CONFIDENCE: f64 = 0.3;

pub fn build<'a>(walker: &mut Walker<'a>, suite: &'a [Stmt], flow: Flow) -> Result<Analysis> {
    // Methods of different classes may share a name: each is listed as `Class.method`.
    let mut defs: Vec<&'a StmtFunctionDef> = walker
        .facts
        .funcs
        .values()
        .copied()
        .chain(walker.classes.methods())
        .collect();
    defs.sort_by_key(|d| d.range.start());
    defs.dedup_by_key(|d| d.range.start());
    let mut functions = Vec::with_capacity(defs.len() + 1);
    let mut summaries = Vec::with_capacity(defs.len());
    for def in &defs {
        let key = walker.classes.key(def);
        let summary = walker.summary(&key)?;
        functions.push(FunctionAnalysis {
            name: key,
            line: walker.lines.line(def.range.start()),
            time_complexity: summary.time.to_string(),
            space_complexity: summary.space.to_string(),
            hotspots: hotspots_within(&summary.contributions, summary.time),
        });
        summaries.push(summary);
    }
    let module = walker.frames.first().expect("module frame");
    let mut time = flow.time;
    let mut space = module.space;
    let mut contributions = module.contributions.clone();
    let mut uncertain = module.uncertain;
    let mut notes = std::mem::take(&mut walker.notes);
    let only_definitions = suite.iter().all(|s| {
        matches!(
            s,
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::Import(_) | Stmt::ImportFrom(_)
        ) || matches!(s, Stmt::Expr(e) if e.value.is_string_literal_expr())
    });
    if only_definitions && !summaries.is_empty() {
        // A library of functions with no script: the program is as costly as its worst function.
        notes.push(
            "no top-level code calls the functions; the worst function is reported".to_owned(),
        );
        for s in &summaries {
            time = time.max(s.time);
            space = space.max(s.space);
            contributions.extend(s.contributions.iter().cloned());
        }
    }
    uncertain += summaries.iter().map(|s| s.uncertain).sum::<u32>();
    let program = if only_definitions && !summaries.is_empty() {
        Program::Library(defs.clone())
    } else {
        Program::Script(suite)
    };
    let methods: Vec<&'a StmtFunctionDef> = walker.classes.methods().collect();
    let mut named = sizes::name(suite, &walker.facts.funcs, &methods, &program, time);
    let time_text = named
        .as_ref()
        .map_or_else(|| time.to_string(), |n| n.time.to_string());
    if let Some(named) = named.as_mut().filter(|n| n.count() > 1) {
        for ((f, def), summary) in functions.iter_mut().zip(&defs).zip(&summaries) {
            if let Some(text) = named.function_time(def, summary.time) {
                f.time_complexity = text;
            }
        }
        // The walk's line counts and space are in one size: say so rather than let `n` read
        // as the first named size.
        notes.push(if space.is_constant() {
            "the counts of the hotspot lines are in one size n, every input taken as that size"
                .to_owned()
        } else {
            format!(
                "space {space} and the counts of the hotspot lines are in one size n, every \
                 input taken as that size"
            )
        });
    }
    if !only_definitions && !time.is_constant() {
        functions.insert(
            0,
            FunctionAnalysis {
                name: "<module>".to_owned(),
                line: 1,
                time_complexity: time_text.clone(),
                space_complexity: space.to_string(),
                hotspots: hotspots_within(&contributions, time),
            },
        );
    }
    let explanation = explain(
        time,
        space,
        &contributions,
        module.space_line.as_ref(),
        &summaries,
    )
    .replacen(&format!("Time {time}"), &format!("Time {time_text}"), 1);
    let confidence =
        (BASE_CONFIDENCE - CONFIDENCE_PER_GUESS * f64::from(uncertain.min(5))).max(MIN_CONFIDENCE);
    if uncertain > 0 {
        notes.push(format!(
            "{uncertain} loop(s) or call(s) had no recognisable bound and were assumed input-sized"
        ));
    }
    Ok(Analysis {
        time_complexity: time_text,
        space_complexity: space.to_string(),
        variables: named.map(|n| n.variables).unwrap_or_default(),
        explanation,
        confidence,
        source: Source::Static,
        functions,
        notes,
        disagreement: None,
        measurements: None,
    })
}

/// Hotspots among contributions no costlier than the total (exit-once work is excluded).
fn hotspots_within(contributions: &[Contribution], total: Cost) -> Vec<Hotspot> {
    let within = |c: &&Contribution| c.cost <= total;
    let Some(top) = contributions.iter().filter(within).map(|c| c.cost).max() else {
        return Vec::new();
    };
    let mut best: Vec<&Contribution> = contributions
        .iter()
        .filter(within)
        .filter(|c| c.cost == top)
        .collect();
    best.sort_by_key(|c| (std::cmp::Reverse(c.depth), c.line));
    let mut out: Vec<Hotspot> = Vec::new();
    for c in best {
        if out.iter().any(|h| h.line == c.line) {
            continue;
        }
        out.push(Hotspot {
            line: c.line,
            reason: format!("{} ({} in total)", c.reason, c.cost.size()),
        });
        if out.len() == MAX_HOTSPOTS {
            break;
        }
    }
    out
}

fn explain(
    time: Cost,
    space: Cost,
    contributions: &[Contribution],
    space_line: Option<&(u32, String)>,
    summaries: &[Summary],
) -> String {
    // A loop of a fixed number of steps does not explain a growing cost: name the enclosing
    // loop or call that repeats it instead.
    let hotspots = hotspots_within(contributions, time);
    let fixed = |h: &&Hotspot| h.reason.contains("a fixed number of");
    let primary = hotspots
        .iter()
        .find(|h| !fixed(h))
        .or_else(|| hotspots.first());
    let mut text = match primary {
        Some(h) if !time.is_constant() => format!(
            "Time {time}, dominated by line {}: {}.",
            h.line,
            lowercase_first(&h.reason)
        ),
        _ if time.is_constant() => {
            format!("Time {time}: no loop or call depends on the size of the input.")
        }
        _ => format!("Time {time}."),
    };
    if let Some(reason) = summaries.iter().filter_map(|s| s.recursion.as_ref()).next() {
        text.push_str(&format!(" Recursion: {reason}."));
    }
    match space_line {
        Some((line, what)) if !space.is_constant() => text.push_str(&format!(
            " Space {space}: {what} at line {line} holds up to {} elements.",
            space.size()
        )),
        _ if space.is_constant() => text.push_str(&format!(
            " Space {space}: only a fixed number of values are kept."
        )),
        _ => text.push_str(&format!(" Space {space}.")),
    }
    text
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

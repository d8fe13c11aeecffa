//! Accuracy and speed of the static analyzer (a benchmark program, not a test).
//!
//! By default it measures the repository's own labelled corpus (`crates/analyzer/corpus/`):
//! exact time and space class of each labelled function, separately for the tuned part and the
//! held-out part, with a confusion summary, how often each named rule fired, and the median
//! time to analyse a 1,000-line program. CodeComplex-Python
//! (`../shared/datasets/codecomplex/python-dev.jsonl` beside the repository, or a `.jsonl` path
//! given as an argument) is an extra report when present.
//!
//! ```text
//! accuracy [--corpus DIR] [DATASET.jsonl] [--failures [TRUE[:PREDICTED]]] [--runs N]
//! accuracy FILE.py        # print the analysis object of one file
//! ```
//!
//! `--failures` lists the tuned part's misses (held-out programs are never listed) and, given a
//! CodeComplex label, that dataset's tuning-part failures of that label.

// A binary's modules sit beside its root file: these live in `accuracy/`.
#[path = "accuracy/class.rs"]
mod class;
#[path = "accuracy/codecomplex.rs"]
mod codecomplex;
#[path = "accuracy/corpus.rs"]
mod corpus;
#[path = "accuracy/speed.rs"]
mod speed;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use code_remote_analyzer::{analyze_static, analyze_static_with_rules};

use corpus::{Part, Program, Score, Verdict};

/// Analyses timed for the speed figure.
const SPEED_RUNS: u32 = 500;

struct Args {
    corpus: PathBuf,
    dataset: PathBuf,
    /// `--failures` was given.
    failures: bool,
    /// The CodeComplex label after `--failures`, if any.
    dataset_failures: Option<String>,
    runs: u32,
    file: Option<String>,
}

impl Args {
    fn parse() -> Result<Args, String> {
        let mut args = Args {
            corpus: corpus::default_dir(),
            dataset: codecomplex::default_dir().join("python-dev.jsonl"),
            failures: false,
            dataset_failures: None,
            runs: SPEED_RUNS,
            file: None,
        };
        let mut it = std::env::args().skip(1).peekable();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--corpus" => args.corpus = it.next().ok_or("--corpus needs a directory")?.into(),
                "--runs" => {
                    let n = it.next().ok_or("--runs needs a number")?;
                    args.runs = n.parse().map_err(|_| format!("--runs {n}: not a number"))?;
                }
                "--failures" => {
                    args.failures = true;
                    args.dataset_failures = it.next_if(|a| !a.starts_with("--"));
                }
                a if a.ends_with(".jsonl") => args.dataset = a.into(),
                a if a.ends_with(".py") => args.file = Some(a.to_owned()),
                a => return Err(format!("unknown argument `{a}`")),
            }
        }
        Ok(args)
    }
}

fn main() -> ExitCode {
    let args = match Args::parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(file) = &args.file {
        // Debugging aid: analyse one file and print the analysis object.
        let code = std::fs::read_to_string(file).unwrap_or_default();
        match analyze_static(&code) {
            Ok(a) => println!("{}", serde_json::to_string_pretty(&a).unwrap_or_default()),
            Err(e) => println!("error: {e}"),
        }
        return ExitCode::SUCCESS;
    }
    let programs = match corpus::load(&args.corpus) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot read the corpus: {e}");
            return ExitCode::FAILURE;
        }
    };
    report_corpus(&args, &programs);
    let s = speed::measure(args.runs);
    println!(
        "\nspeed: a {}-line program ({} bytes, answer {}) takes {:.3} ms (median of {} runs; fastest {:.3} ms)",
        s.lines,
        s.bytes,
        s.answer,
        s.median.as_secs_f64() * 1e3,
        s.runs,
        s.fastest.as_secs_f64() * 1e3
    );
    codecomplex::report(&args.dataset, args.dataset_failures.as_deref());
    ExitCode::SUCCESS
}

fn report_corpus(args: &Args, programs: &[Program]) {
    let mut scores: BTreeMap<&str, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut fired: BTreeMap<&'static str, (u32, u32)> = BTreeMap::new();
    for program in programs {
        let verdict = match analyze_static_with_rules(&program.src) {
            Ok((analysis, counts)) => {
                for (rule, n) in counts {
                    let entry = fired.entry(rule).or_default();
                    entry.0 += u32::from(n > 0);
                    entry.1 += n;
                }
                corpus::judge(&program.label, &analysis)
            }
            Err(e) => corpus::judge_error(&program.label, &e.to_string()),
        };
        scores.entry(title(program.part)).or_default().add(&verdict);
        if program.part == Part::Tuned && !(verdict.time.ok && verdict.space.ok) {
            misses.push((program, verdict));
        }
    }
    let tuned = programs.iter().filter(|p| p.part == Part::Tuned).count();
    println!(
        "corpus: {} ({} programs: {tuned} tuned, {} held out)\n",
        args.corpus.display(),
        programs.len(),
        programs.len() - tuned
    );
    println!(
        "{:<10} {:>8} {:>16} {:>16}",
        "part", "programs", "time exact", "space exact"
    );
    for part in Part::ALL {
        let score = scores.entry(title(part)).or_default();
        println!(
            "{:<10} {:>8} {:>8.1} % ({:>3}) {:>8.1} % ({:>3})",
            title(part),
            score.programs,
            score.time_percent(),
            score.time_ok,
            score.space_percent(),
            score.space_ok
        );
    }
    for part in Part::ALL {
        let score = &scores[title(part)];
        print_confusion(&format!("time, {}", title(part)), &score.time_confusion);
        print_confusion(&format!("space, {}", title(part)), &score.space_confusion);
    }
    if args.failures {
        println!("\ntuned misses ({}):", misses.len());
        for (program, verdict) in &misses {
            print_miss(program, verdict);
        }
    } else {
        println!(
            "\n{} tuned misses (list them with --failures)",
            misses.len()
        );
    }
    println!("\nrule firings over the corpus (programs where the rule fired, times it fired):");
    for (rule, (programs, times)) in &fired {
        println!("{rule:>32} {programs:>6} {times:>8}");
    }
}

fn title(part: Part) -> &'static str {
    match part {
        Part::Tuned => "tuned",
        Part::HeldOut => "held out",
    }
}

/// One line per expected class: how many were right and what the others were answered.
fn print_confusion(title: &str, confusion: &BTreeMap<(String, String), u32>) {
    println!("\nconfusion ({title}): expected: right/all, wrong answers");
    let mut rows: BTreeMap<&str, (u32, u32, Vec<String>)> = BTreeMap::new();
    for ((expected, got), n) in confusion {
        let row = rows.entry(expected).or_default();
        row.1 += n;
        if expected == got {
            row.0 += n;
        } else {
            row.2.push(format!("{got} x{n}"));
        }
    }
    for (expected, (right, all, wrong)) in rows {
        println!("{expected:>14}: {right:>3}/{all:<3} {}", wrong.join(", "));
    }
}

fn print_miss(program: &Program, verdict: &Verdict) {
    let mut parts = Vec::new();
    for (what, check) in [("time", &verdict.time), ("space", &verdict.space)] {
        if !check.ok {
            parts.push(format!(
                "{what} expected {} got {}",
                check.expected, check.got
            ));
        }
    }
    println!(
        "  {} (line {}): {} — {}",
        program.name,
        program.label.line,
        parts.join("; "),
        program.label.why
    );
}

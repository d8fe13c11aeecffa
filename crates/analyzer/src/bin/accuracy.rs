//! Accuracy of the static analyzer on CodeComplex-Python (a benchmark program, not a test).
//!
//! Reads `../shared/datasets/codecomplex/python-dev.jsonl` (relative to the repository root, or
//! the path given as the first argument), splits it once and for all by a hash of each program
//! into a tuning part (70 %) and a held-out part (30 %), and prints accuracy and a confusion
//! matrix for each part and the whole. `--failures TRUE[:PREDICTED]` lists tuning-part
//! failures of one true label; held-out programs are never listed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use code_remote_analyzer::{analyze_static, analyze_static_with_rules};

const LABELS: [&str; 7] = [
    "constant",
    "logn",
    "linear",
    "nlogn",
    "quadratic",
    "cubic",
    "np",
];
/// Programs whose hash modulo 10 falls below this are held out from tuning.
const HELD_OUT_BELOW: u64 = 3;

struct Sample {
    src: String,
    label: String,
    /// The contest problem; several programs solve the same one.
    problem: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let failures_of = args
        .iter()
        .position(|a| a == "--failures")
        .and_then(|i| args.get(i + 1).cloned());
    if let Some(file) = args.iter().find(|a| a.ends_with(".py")) {
        // Debugging aid: analyse one file and print the analysis object.
        let code = std::fs::read_to_string(file).unwrap_or_default();
        match analyze_static(&code) {
            Ok(a) => println!("{}", serde_json::to_string_pretty(&a).unwrap_or_default()),
            Err(e) => println!("error: {e}"),
        }
        return ExitCode::SUCCESS;
    }
    let path = args
        .iter()
        .find(|a| a.ends_with(".jsonl"))
        .map(PathBuf::from)
        .unwrap_or_else(default_dataset);
    let samples = match load(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read the dataset at {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let held = |s: &Sample| fnv1a(s.src.as_bytes()) % 10 < HELD_OUT_BELOW;
    // Labels follow the problem more than the program, so the held-out programs whose problem
    // has no program in the tuning part are the strictest test.
    let tuned_problems: std::collections::HashSet<&str> = samples
        .iter()
        .filter(|s| !held(s))
        .map(|s| s.problem.as_str())
        .collect();
    let mut tuning = Matrix::default();
    let mut held_out = Matrix::default();
    let mut unseen = Matrix::default();
    let mut errors = 0;
    let mut shown = 0;
    let dump_to = args
        .iter()
        .position(|a| a == "--predictions")
        .and_then(|i| args.get(i + 1).cloned());
    let mut dump = String::new();
    let mut fired: BTreeMap<&'static str, (u32, u32)> = BTreeMap::new();
    for sample in &samples {
        if let Ok((_, counts)) = analyze_static_with_rules(&sample.src) {
            for (rule, n) in counts {
                let entry = fired.entry(rule).or_default();
                entry.0 += u32::from(n > 0);
                entry.1 += n;
            }
        }
        if dump_to.is_some() {
            let line = match analyze_static(&sample.src) {
                Ok(a) => {
                    let functions: Vec<String> = a
                        .functions
                        .iter()
                        .map(|f| format!("{} {} {}", f.name, f.time_complexity, f.space_complexity))
                        .collect();
                    format!(
                        "{} {} | {}",
                        a.time_complexity,
                        a.space_complexity,
                        functions.join(" | ")
                    )
                }
                Err(e) => format!("error {e}"),
            };
            dump.push_str(&line);
            dump.push('\n');
        }
        let predicted = match analyze_static(&sample.src) {
            Ok(a) => code_remote_analyzer::Cost::parse_class(&a.time_complexity)
                .map_or("unparsed", |c| c.dataset_label()),
            Err(_) => {
                errors += 1;
                "error"
            }
        };
        let held = held(sample);
        let matrix = if held { &mut held_out } else { &mut tuning };
        matrix.add(&sample.label, predicted);
        if held && !tuned_problems.contains(sample.problem.as_str()) {
            unseen.add(&sample.label, predicted);
        }
        let wanted = failures_of.as_deref().is_some_and(|f| {
            let (truth, pred) = f.split_once(':').unwrap_or((f, predicted));
            truth == sample.label && pred == predicted
        });
        if !held && wanted && predicted != sample.label && shown < 25 {
            shown += 1;
            println!(
                "===== true {} predicted {predicted}\n{}",
                sample.label, sample.src
            );
        }
    }
    if let Some(file) = dump_to
        && let Err(e) = std::fs::write(&file, dump)
    {
        eprintln!("cannot write {file}: {e}");
        return ExitCode::FAILURE;
    }
    let mut whole = Matrix::default();
    whole.merge(&tuning);
    whole.merge(&held_out);
    println!(
        "dataset: {} ({} programs, {errors} analysis errors)",
        path.display(),
        samples.len()
    );
    tuning.print("tuning part (70 %)");
    held_out.print("held-out part (30 %, never tuned on)");
    unseen.print("held-out programs of problems with no program in the tuning part");
    whole.print("whole set");
    println!("\nrule firings (programs where the rule fired, times it fired):");
    for (rule, (programs, times)) in &fired {
        println!("{rule:>32} {programs:>6} {times:>8}");
    }
    ExitCode::SUCCESS
}

fn default_dataset() -> PathBuf {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    repo.join("../shared/datasets/codecomplex/python-dev.jsonl")
}

fn load(path: &PathBuf) -> Result<Vec<Sample>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
            Ok(Sample {
                src: field("src").ok_or("a line has no `src`")?,
                label: field("complexity").ok_or("a line has no `complexity`")?,
                problem: field("problem").unwrap_or_default(),
            })
        })
        .collect()
}

/// FNV-1a, 64 bits: a stable split that does not depend on file order.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[derive(Default)]
struct Matrix {
    counts: BTreeMap<(String, String), u32>,
}

impl Matrix {
    fn add(&mut self, truth: &str, predicted: &str) {
        *self
            .counts
            .entry((truth.to_owned(), predicted.to_owned()))
            .or_default() += 1;
    }

    fn merge(&mut self, other: &Matrix) {
        for (k, v) in &other.counts {
            *self.counts.entry(k.clone()).or_default() += v;
        }
    }

    fn print(&self, title: &str) {
        let total: u32 = self.counts.values().sum();
        let correct: u32 = self
            .counts
            .iter()
            .filter(|((t, p), _)| t == p)
            .map(|(_, v)| v)
            .sum();
        let pct = if total == 0 {
            0.0
        } else {
            100.0 * f64::from(correct) / f64::from(total)
        };
        println!("\n{title}: {correct}/{total} = {pct:.1} % exact class");
        print!("{:>10} |", "true\\pred");
        for p in LABELS.iter().chain(["error"].iter()) {
            print!("{p:>10}");
        }
        println!();
        for t in LABELS {
            print!("{t:>10} |");
            for p in LABELS.iter().chain(["error"].iter()) {
                let v = self
                    .counts
                    .get(&(t.to_owned(), (*p).to_owned()))
                    .copied()
                    .unwrap_or(0);
                print!("{v:>10}");
            }
            println!();
        }
    }
}

//! The extra report on CodeComplex-Python (`../shared/datasets/codecomplex/`), when present.
//!
//! The development split is divided once and for all by a hash of each program into a tuning
//! part (70 %) and a held-out part (30 %); a test split, when present, is all held out.
//! Accuracy is the exact CodeComplex label (`constant` … `np`) of the whole-program time.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use code_remote_analyzer::{Cost, analyze_static};

use crate::corpus::percent;

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
/// Tuning failures listed at most by `--failures TRUE[:PREDICTED]`.
const MAX_LISTED: usize = 25;

struct Sample {
    src: String,
    label: String,
    /// The contest problem; several programs solve the same one.
    problem: String,
}

/// The dataset directory next to the repository.
pub fn default_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets/codecomplex")
}

/// Prints the report for the development split at `dev` (and `python-test.jsonl` beside it),
/// or one line saying it was skipped. `failures_of` lists tuning failures of one true label.
pub fn report(dev: &Path, failures_of: Option<&str>) {
    let samples = match load(dev) {
        Ok(s) => s,
        Err(e) => {
            println!(
                "\nCodeComplex: skipped: {} not found or unreadable ({e})",
                dev.display()
            );
            return;
        }
    };
    let held = |s: &Sample| fnv1a(s.src.as_bytes()) % 10 < HELD_OUT_BELOW;
    // Labels follow the problem more than the program, so the held-out programs whose problem
    // has no program in the tuning part are the strictest test.
    let tuned_problems: HashSet<&str> = samples
        .iter()
        .filter(|s| !held(s))
        .map(|s| s.problem.as_str())
        .collect();
    let (mut tuning, mut held_out, mut unseen) =
        (Matrix::default(), Matrix::default(), Matrix::default());
    let mut shown = 0;
    for sample in &samples {
        let predicted = predict(&sample.src);
        let is_held = held(sample);
        let matrix = if is_held { &mut held_out } else { &mut tuning };
        matrix.add(&sample.label, predicted);
        if is_held && !tuned_problems.contains(sample.problem.as_str()) {
            unseen.add(&sample.label, predicted);
        }
        let wanted = failures_of.is_some_and(|f| {
            let (truth, pred) = f.split_once(':').unwrap_or((f, predicted));
            truth == sample.label && pred == predicted
        });
        if !is_held && wanted && predicted != sample.label && shown < MAX_LISTED {
            shown += 1;
            println!(
                "===== true {} predicted {predicted}\n{}",
                sample.label, sample.src
            );
        }
    }
    println!(
        "\nCodeComplex: {} ({} programs)",
        dev.display(),
        samples.len()
    );
    tuning.print("CodeComplex tuning part (70 %)");
    held_out.print("CodeComplex held-out part (30 %, never tuned on)");
    unseen.print("CodeComplex held-out programs of problems with no program in the tuning part");
    let mut whole = Matrix::default();
    whole.merge(&tuning);
    whole.merge(&held_out);
    whole.print("CodeComplex whole development split");
    let test = dev.with_file_name("python-test.jsonl");
    match load(&test) {
        Ok(samples) => {
            let mut matrix = Matrix::default();
            for sample in &samples {
                matrix.add(&sample.label, predict(&sample.src));
            }
            matrix.print("CodeComplex test split (never tuned on)");
        }
        Err(_) => println!(
            "\nCodeComplex test split: skipped: {} not found",
            test.display()
        ),
    }
}

fn predict(src: &str) -> &'static str {
    match analyze_static(src) {
        Ok(a) => Cost::parse_class(&a.time_complexity).map_or("unparsed", |c| c.dataset_label()),
        Err(_) => "error",
    }
}

fn load(path: &Path) -> Result<Vec<Sample>, String> {
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
        let pct = percent(correct, total);
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

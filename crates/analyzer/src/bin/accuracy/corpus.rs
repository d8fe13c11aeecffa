//! The repository's labelled corpus (`crates/analyzer/corpus/`, see its README): loading the
//! programs, reading their labels and judging the analyzer's answer for the labelled function.
//! Shared by the `accuracy` program and `tests/corpus.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use code_remote_analyzer::Analysis;

use crate::class::{self, Class};

/// The two parts of the corpus, which are scored separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// May be read while improving the analyzer.
    Tuned,
    /// Chosen before any tuning and never tuned on.
    HeldOut,
}

impl Part {
    pub const ALL: [Part; 2] = [Part::Tuned, Part::HeldOut];

    pub fn dir(self) -> &'static str {
        match self {
            Part::Tuned => "tuned",
            Part::HeldOut => "held_out",
        }
    }
}

/// What a program's header says about its labelled function.
#[derive(Debug, Clone)]
pub struct Label {
    /// 1-based line where the labelled function starts: its first decorator, or its `def`.
    pub line: u32,
    pub time: Class,
    pub space: Class,
    /// Several-variable classes (`expect-multi`), as written.
    pub multi_time: Option<String>,
    pub multi_space: Option<String>,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct Program {
    /// The file name without `.py`.
    pub name: String,
    pub part: Part,
    pub src: String,
    pub label: Label,
}

/// The corpus directory of this crate.
pub fn default_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every program of both parts, sorted by part then name. An unreadable file or a malformed
/// label is an error naming the file.
pub fn load(dir: &Path) -> Result<Vec<Program>, String> {
    let mut programs = Vec::new();
    for part in Part::ALL {
        let sub = dir.join(part.dir());
        let entries = std::fs::read_dir(&sub).map_err(|e| format!("{}: {e}", sub.display()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "py"))
            .collect();
        paths.sort();
        for path in paths {
            let src =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let label = parse_label(&src).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            programs.push(Program {
                name,
                part,
                src,
                label,
            });
        }
    }
    Ok(programs)
}

/// Reads the one `# expect time: …; space: …; why: …` line, any `# expect-multi` line after it,
/// and the `def` they stand above (decorators and other comments may come between).
pub fn parse_label(src: &str) -> Result<Label, String> {
    let lines: Vec<&str> = src.lines().collect();
    let heads: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_start().starts_with("# expect "))
        .collect();
    let [head] = heads[..] else {
        return Err(format!(
            "expected one `# expect` line, found {}",
            heads.len()
        ));
    };
    let label = fields(lines[head].trim_start().trim_start_matches("# expect "))?;
    let single = |key: &str| -> Result<Class, String> {
        let text = label.get(key).ok_or(format!("no `{key}:` in the label"))?;
        if !class::other_variables(text).is_empty() {
            return Err(format!("`{key}: {text}` is not in the single size n"));
        }
        Class::parse(text).ok_or(format!("`{key}: {text}` is not a class"))
    };
    let (time, space) = (single("time")?, single("space")?);
    let why = label.get("why").cloned().unwrap_or_default();
    if why.trim().is_empty() {
        return Err("the label gives no `why:`".to_owned());
    }
    let (mut multi_time, mut multi_space) = (None, None);
    let mut at = head + 1;
    let mut start = None;
    while let Some(line) = lines.get(at).map(|l| l.trim_start()) {
        if line.starts_with('@') {
            start.get_or_insert(at);
        } else if let Some(rest) = line.strip_prefix("# expect-multi ") {
            let multi = fields(rest)?;
            for (key, text) in &multi {
                Class::parse(text).ok_or(format!("`expect-multi {key}: {text}` is not a class"))?;
            }
            multi_time = multi.get("time").cloned();
            multi_space = multi.get("space").cloned();
        } else if !line.starts_with('#') {
            break;
        }
        at += 1;
    }
    match lines.get(at) {
        Some(def) if def.trim_start().starts_with("def ") => Ok(Label {
            line: u32::try_from(start.unwrap_or(at) + 1).map_err(|e| e.to_string())?,
            time,
            space,
            multi_time,
            multi_space,
            why,
        }),
        _ => Err("the label is not right above a `def`".to_owned()),
    }
}

/// `key: value; key: value` (the last field, `why`, may hold semicolons of its own).
fn fields(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (key, value) = rest
            .split_once(':')
            .ok_or(format!("`{rest}` is not `key: value`"))?;
        let key = key.trim().to_owned();
        let (value, tail) = if key == "why" {
            (value, "")
        } else {
            value.split_once(';').unwrap_or((value, ""))
        };
        out.insert(key, value.trim().to_owned());
        rest = tail.trim();
    }
    Ok(out)
}

/// One dimension (time or space) of a judged answer.
#[derive(Debug, Clone)]
pub struct Check {
    /// The label compared with: the single-variable class or the `expect-multi` one.
    pub expected: String,
    pub got: String,
    pub ok: bool,
    /// The single-variable label and the answer read in n, for the confusion summary.
    pub class_expected: String,
    pub class_got: String,
}

/// The analyzer's answer for the labelled function, judged.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub time: Check,
    pub space: Check,
}

/// Judges `analysis` (of the whole program) on the labelled function. An answer in several
/// variables is compared with the `expect-multi` class when there is one (up to the names of
/// the sizes), and otherwise read with every variable as n; a single-variable answer with the
/// single-variable label.
pub fn judge(label: &Label, analysis: &Analysis) -> Verdict {
    let function = analysis.functions.iter().find(|f| f.line == label.line);
    let (time, space) = function.map_or(("(not analysed)", "(not analysed)"), |f| {
        (f.time_complexity.as_str(), f.space_complexity.as_str())
    });
    Verdict {
        time: check(label.time, label.multi_time.as_deref(), time),
        space: check(label.space, label.multi_space.as_deref(), space),
    }
}

fn check(single: Class, multi: Option<&str>, got: &str) -> Check {
    let several = !class::other_variables(got).is_empty();
    let (expected, ok) = match multi {
        Some(multi) if several => (multi.to_owned(), class::same_up_to_names(multi, got)),
        _ => (single.to_string(), Class::parse(got) == Some(single)),
    };
    Check {
        expected,
        got: got.to_owned(),
        ok,
        class_expected: single.to_string(),
        class_got: Class::parse(got).map_or_else(|| got.to_owned(), |c| c.to_string()),
    }
}

/// Exact-class counts over some programs, with the confusions (expected, answered) in n.
#[derive(Debug, Default)]
pub struct Score {
    pub programs: u32,
    pub time_ok: u32,
    pub space_ok: u32,
    pub time_confusion: BTreeMap<(String, String), u32>,
    pub space_confusion: BTreeMap<(String, String), u32>,
}

impl Score {
    pub fn add(&mut self, verdict: &Verdict) {
        self.programs += 1;
        self.time_ok += u32::from(verdict.time.ok);
        self.space_ok += u32::from(verdict.space.ok);
        for (check, confusion) in [
            (&verdict.time, &mut self.time_confusion),
            (&verdict.space, &mut self.space_confusion),
        ] {
            let key = (check.class_expected.clone(), check.class_got.clone());
            *confusion.entry(key).or_default() += 1;
        }
    }

    pub fn time_percent(&self) -> f64 {
        percent(self.time_ok, self.programs)
    }

    pub fn space_percent(&self) -> f64 {
        percent(self.space_ok, self.programs)
    }
}

pub fn percent(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * f64::from(part) / f64::from(whole)
    }
}

/// The verdict when the analyzer refused the program: both dimensions wrong.
pub fn judge_error(label: &Label, error: &str) -> Verdict {
    let wrong = |single: Class| Check {
        expected: single.to_string(),
        got: format!("error: {error}"),
        ok: false,
        class_expected: single.to_string(),
        class_got: "error".to_owned(),
    };
    Verdict {
        time: wrong(label.time),
        space: wrong(label.space),
    }
}

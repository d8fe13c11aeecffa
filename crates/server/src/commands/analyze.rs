//! `code-remote analyze FILE.py [--json]`: offline static complexity analysis of one file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use code_remote_analyzer::{Analysis, Error, analyze_static};

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// The Python file to analyze.
    pub file: PathBuf,
    /// Print the analysis object as JSON instead of a readable report.
    #[arg(long)]
    pub json: bool,
}

pub fn execute(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let code = match std::fs::read_to_string(&args.file) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let analysis = match analyze_static(&code) {
        Ok(a) => a,
        Err(Error::Syntax {
            line,
            column,
            message,
        }) => {
            eprintln!(
                "error: {}:{line}:{column}: syntax error: {message}",
                args.file.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &analysis).context("writing the analysis")?;
        writeln!(out)?;
    } else {
        write!(out, "{}", render(&analysis))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The readable report.
fn render(a: &Analysis) -> String {
    let sizes = a
        .variables_text()
        .map(|sizes| format!("sizes: {sizes}\n"))
        .unwrap_or_default();
    let mut s = format!(
        "time:  {}\nspace: {} (auxiliary: the inputs are not counted)\n{sizes}confidence: {:.2}\n\n{}\n",
        a.time_complexity, a.space_complexity, a.confidence, a.explanation
    );
    for f in &a.functions {
        s.push_str(&format!(
            "\n{} (line {}): time {}, space {}\n",
            f.name, f.line, f.time_complexity, f.space_complexity
        ));
        for h in &f.hotspots {
            s.push_str(&format!("  line {}: {}\n", h.line, h.reason));
        }
    }
    for note in &a.notes {
        s.push_str(&format!("\nnote: {note}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: Option<&str>, json: bool) -> ExitCode {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("program.py");
        if let Some(code) = code {
            std::fs::write(&file, code).expect("write");
        }
        execute(AnalyzeArgs { file, json }).expect("no platform error")
    }

    #[test]
    fn a_valid_program_succeeds_in_both_formats() {
        let code = "n = int(input())\nfor i in range(n):\n    print(i)\n";
        assert_eq!(run(Some(code), false), ExitCode::SUCCESS);
        assert_eq!(run(Some(code), true), ExitCode::SUCCESS);
    }

    #[test]
    fn a_syntax_error_exits_non_zero() {
        assert_eq!(
            run(Some("for i in range(3)\n    pass\n"), false),
            ExitCode::FAILURE
        );
    }

    #[test]
    fn a_missing_file_exits_non_zero() {
        assert_eq!(run(None, false), ExitCode::from(2));
    }

    #[test]
    fn the_readable_report_lists_classes_and_hotspots() {
        let a =
            analyze_static("def f(a):\n    for x in a:\n        for y in a:\n            pass\n")
                .expect("valid");
        let text = render(&a);
        assert!(text.starts_with("time:  O(n^2)\nspace: O(1)"), "{text}");
        assert!(text.contains("f (line 1): time O(n^2)"), "{text}");
        assert!(text.contains("  line 3: loop runs n times"), "{text}");
        assert!(text.contains("\nsizes: n = len(a)\n"), "{text}");
    }

    #[test]
    fn the_readable_report_says_what_each_size_is() {
        let a = analyze_static(
            "def f(grid):\n    for row in grid:\n        for x in row:\n            print(x)\n",
        )
        .expect("valid");
        let text = render(&a);
        assert!(text.starts_with("time:  O(n*m)\n"), "{text}");
        assert!(
            text.contains("\nsizes: n = len(grid), m = len(grid[0])\n"),
            "{text}"
        );
        assert!(
            text.contains("(auxiliary: the inputs are not counted)"),
            "{text}"
        );
    }
}

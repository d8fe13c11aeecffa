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
    let mut s = format!(
        "time:  {}\nspace: {}\nconfidence: {:.2}\n\n{}\n",
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

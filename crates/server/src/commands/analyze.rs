//! `code-remote analyze` (placeholder until its issue lands).

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {}

pub fn execute(_args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`code-remote analyze` is not built yet")
}

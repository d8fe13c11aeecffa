//! `code-remote doctor` (placeholder until its issue lands).

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {}

pub fn execute(_args: DoctorArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`code-remote doctor` is not built yet")
}

//! The `code-remote` binary: parses the command line and hands over to one command.

mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> anyhow::Result<ExitCode> {
    let cli = commands::Cli::parse();
    cli.command.execute()
}

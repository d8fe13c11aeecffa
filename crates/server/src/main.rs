//! The `code-remote` binary: parses the command line and hands over to one command.

mod commands;
mod config;
mod http;
mod telemetry;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

fn main() -> anyhow::Result<ExitCode> {
    let args = config::merge_config_file(std::env::args_os().collect(), &commands::Cli::command())?;
    let cli = commands::Cli::parse_from(args);
    cli.command.execute()
}

//! The command line: one module per subcommand.

mod analyze;
mod analyzer_args;
mod callback_args;
mod doctor;
mod node;
mod openapi;
mod run;
mod runtime;
mod sandbox_args;
mod serve;
mod user;
mod worker;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[cfg(test)]
pub use serve::ServeArgs;

/// Code Remote: run untrusted Python in a locked-down sandbox, and analyze its complexity.
#[derive(Debug, Parser)]
#[command(name = "code-remote", version, about, args_override_self = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the API, the web app and (unless --workers 0) in-process workers.
    Serve(Box<serve::ServeArgs>),
    /// Start a worker-only node that takes jobs from a shared PostgreSQL queue.
    Worker(Box<worker::WorkerArgs>),
    /// Run one Python program in the sandbox, with no server.
    Run(run::RunArgs),
    /// Analyze the time and space complexity of a Python program, offline.
    Analyze(analyze::AnalyzeArgs),
    /// Manage accounts from the command line.
    User(user::UserArgs),
    /// Report which sandbox layers are active on this machine and whether runs are safe.
    Doctor(doctor::DoctorArgs),
    /// Print the API's OpenAPI document (JSON): the wire contract of `/api/v1` and its WebSocket.
    Openapi(openapi::OpenapiArgs),
    /// Show the Python version, packages and limits programs run with.
    Runtime(Box<runtime::RuntimeArgs>),
}

impl Command {
    pub fn execute(self) -> anyhow::Result<ExitCode> {
        match self {
            Command::Serve(args) => serve::execute(*args),
            Command::Worker(args) => worker::execute(*args),
            Command::Run(args) => run::execute(args),
            Command::Analyze(args) => analyze::execute(args),
            Command::Doctor(args) => doctor::execute(args),
            Command::User(args) => user::execute(args),
            Command::Openapi(args) => openapi::execute(args),
            Command::Runtime(args) => runtime::execute(*args),
        }
    }
}

//! `code-remote openapi`: prints the API's OpenAPI document, the one source of the wire
//! contract (the web app's types are generated from it by `scripts/gen-api`).

use std::{io::Write, process::ExitCode};

use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub struct OpenapiArgs {}

pub fn execute(_args: OpenapiArgs) -> anyhow::Result<ExitCode> {
    let document = code_remote_api::openapi_document()
        .to_pretty_json()
        .context("serialising the OpenAPI document")?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{document}").context("writing the OpenAPI document")?;
    Ok(ExitCode::SUCCESS)
}

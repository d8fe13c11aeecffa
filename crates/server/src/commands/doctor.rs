//! `code-remote doctor`: which sandbox layers are active here, and whether runs are safe.
//! Exits 0 when they are, 1 when not.

use std::process::ExitCode;

use code_remote_sandbox::{LayerReport, Sandbox};

use super::sandbox_args::SandboxArgs;

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub sandbox: SandboxArgs,
}

pub fn execute(args: DoctorArgs) -> anyhow::Result<ExitCode> {
    // Probe everything, including a real test run, even where a layer is missing: the point is
    // to report, not to refuse.
    let config = code_remote_sandbox::SandboxConfig {
        allow_weaker: true,
        slots: 1,
        warm: 0,
        ..args.sandbox.to_config()
    };
    let safe = match Sandbox::new(config.clone()) {
        Ok(sandbox) => {
            print!("{}", sandbox.report());
            sandbox.report().is_safe()
        }
        Err(error) => {
            let (report, _) = LayerReport::probe(&config);
            print!("{report}");
            println!("The sandbox cannot start: {error}");
            false
        }
    };
    Ok(if safe {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

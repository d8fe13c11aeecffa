//! `code-remote doctor`: which sandbox layers are active here, and whether runs are safe.
//! Exits 0 when they are, 1 when not.

use std::process::ExitCode;

use code_remote_sandbox::{LayerReport, Sandbox};

use super::{runtime::python_env, sandbox_args::SandboxArgs};

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
    print_python_env(&args.sandbox);
    Ok(if safe {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Which package environment sandboxed programs get, and whether it is complete.
fn print_python_env(sandbox: &SandboxArgs) {
    match python_env(sandbox) {
        None => println!(
            "python env: none (programs get the standard library only; scripts/install-python-env \
             installs numpy, pandas, matplotlib, scipy, sympy and networkx)"
        ),
        Some(Err(error)) => println!("python env: UNUSABLE: {error}"),
        Some(Ok(env)) => {
            let missing = env.missing_packages();
            let state = if !env.stamped() {
                "INCOMPLETE (its installation did not finish; run scripts/install-python-env)"
                    .to_string()
            } else if missing.is_empty() {
                "complete".to_string()
            } else {
                format!("INCOMPLETE: missing {}", missing.join(", "))
            };
            println!(
                "python env: {} ({} packages, built for Python {}): {state}",
                env.dir.display(),
                env.packages.len(),
                env.python_version.as_deref().unwrap_or("unknown")
            );
        }
    }
}

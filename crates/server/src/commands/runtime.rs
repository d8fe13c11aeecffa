//! `code-remote runtime [--json]`: the Python version, the packages of the sandbox's
//! environment and the limits, as `GET /api/v1/runtime` answers them; and the helpers `serve`
//! and `doctor` use to find them once at start-up.

use std::process::ExitCode;

use code_remote_api::{ApiConfig, ArtifactLimits, PythonPackage, PythonRuntime};
use code_remote_core::Limits;
use code_remote_sandbox::PythonEnv;

use super::{node::LimitArgs, sandbox_args::SandboxArgs};

#[derive(Debug, clap::Args)]
pub struct RuntimeArgs {
    /// Print the runtime object (JSON) of `GET /api/v1/runtime`.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub sandbox: SandboxArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// The environment the sandbox would use, inspected (its `*.dist-info`, no code run): `None`
/// when none is configured or installed.
pub fn python_env(sandbox: &SandboxArgs) -> Option<code_remote_sandbox::Result<PythonEnv>> {
    sandbox.python_env().map(|dir| PythonEnv::inspect(&dir))
}

/// The interpreter's version and the environment's packages.
pub fn python_runtime(sandbox: &SandboxArgs) -> anyhow::Result<PythonRuntime> {
    let version = code_remote_sandbox::python_version(sandbox.python.as_deref())?;
    let packages = match python_env(sandbox).transpose()? {
        Some(env) => env
            .packages
            .into_iter()
            .map(|p| PythonPackage {
                name: p.name,
                version: p.version,
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(PythonRuntime { version, packages })
}

pub fn artifact_limits(sandbox: &SandboxArgs) -> ArtifactLimits {
    ArtifactLimits {
        max_files: u64::from(sandbox.max_artifacts),
        max_total_bytes: sandbox.max_artifacts_mib * 1024 * 1024,
    }
}

pub fn execute(args: RuntimeArgs) -> anyhow::Result<ExitCode> {
    let python = match python_runtime(&args.sandbox) {
        Ok(python) => python,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let config = ApiConfig {
        default_limits: Limits::default(),
        max_limits: args.limits.max_limits(),
        python,
        artifact_limits: artifact_limits(&args.sandbox),
        ..ApiConfig::default()
    };
    let runtime = code_remote_api::runtime(&config);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&runtime)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("Python {}", runtime.python_version);
    if runtime.packages.is_empty() {
        println!(
            "no packages beyond the standard library (scripts/install-python-env installs them)"
        );
    }
    for package in &runtime.packages {
        println!("  {:<24} {}", package.name, package.version);
    }
    let (default, max) = (&runtime.default_limits, &runtime.max_limits);
    println!(
        "limits (default / max): time {} / {} ms, memory {} / {} MiB, output {} / {} KiB",
        default.time_limit_ms,
        max.time_limit_ms,
        default.memory_limit_mib,
        max.memory_limit_mib,
        default.output_limit_kib,
        max.output_limit_kib
    );
    println!(
        "artifacts: at most {} files and {} bytes from /box/out",
        runtime.artifacts.max_files, runtime.artifacts.max_total_bytes
    );
    Ok(ExitCode::SUCCESS)
}

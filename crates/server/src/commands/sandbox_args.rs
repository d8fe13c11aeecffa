//! The sandbox options shared by `serve`, `worker`, `run` and `doctor`.

use std::path::PathBuf;

use code_remote_sandbox::{ArtifactLimits, DEFAULT_PYTHON_ENV, SandboxConfig};

/// How the sandbox is set up on this machine (see `code-remote doctor`).
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Python interpreter for sandboxed programs [default: found automatically, Debian's
    /// /usr/bin/python3 first].
    #[arg(long, env = "CODE_REMOTE_PYTHON")]
    pub python: Option<PathBuf>,
    /// Run untrusted code even when a required isolation layer is missing (never in production).
    #[arg(long, env = "CODE_REMOTE_ALLOW_WEAKER", default_value_t = false, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub allow_weaker: bool,
    /// Modules whose import fails with an ImportError (comma-separated). A teaching policy, not
    /// a security boundary.
    #[arg(long, env = "CODE_REMOTE_BLOCKED_MODULES", value_delimiter = ',')]
    pub blocked_modules: Vec<String>,
    /// Sandboxes that may run at once on this node [default: 8].
    #[arg(long, env = "CODE_REMOTE_SANDBOX_SLOTS")]
    pub sandbox_slots: Option<usize>,
    /// First uid (and gid) of the sandbox slots; slot k runs as uid-base + k. These ids must own
    /// nothing on the host.
    #[arg(long, env = "CODE_REMOTE_UID_BASE", default_value_t = 60_000)]
    pub uid_base: u32,
    /// Host directory for run-time state: slot uid locks in `slots/`, which keep every
    /// `serve`, `worker` and `run` process on this host from sharing a slot uid. Created if
    /// missing; must be root's and writable by nobody else.
    #[arg(long, env = "CODE_REMOTE_RUNTIME_DIR", default_value = code_remote_sandbox::DEFAULT_RUNTIME_DIR)]
    pub runtime_dir: PathBuf,
    /// Sandboxes kept started ahead, so a job's sandbox is ready when it arrives and start-up
    /// leaves the request path (each holds a slot and an idle interpreter of a few MiB)
    /// [default: one per worker for `serve` and `worker`, none for `run`].
    #[arg(long, env = "CODE_REMOTE_SANDBOX_WARM")]
    pub sandbox_warm: Option<usize>,
    /// The bubblewrap binary.
    #[arg(long, env = "CODE_REMOTE_BWRAP", default_value = "/usr/bin/bwrap")]
    pub bwrap: PathBuf,
    /// Packages of sandboxed programs (numpy, pandas, matplotlib, …), as installed by
    /// scripts/install-python-env; bound read-only into every sandbox [default:
    /// /usr/local/lib/code-remote/python when it exists, else the standard library only].
    #[arg(long, value_name = "DIR", env = "CODE_REMOTE_PYTHON_ENV")]
    pub python_env: Option<PathBuf>,
    /// Most files a run hands back from /box/out (figures included).
    #[arg(long, env = "CODE_REMOTE_MAX_ARTIFACTS", default_value_t = 16, value_parser = clap::value_parser!(u16).range(0..=1024))]
    pub max_artifacts: u16,
    /// Most bytes a run hands back from /box/out, in MiB, all files together.
    #[arg(long, env = "CODE_REMOTE_MAX_ARTIFACTS_MIB", default_value_t = 8, value_parser = clap::value_parser!(u64).range(0..=256))]
    pub max_artifacts_mib: u64,
}

impl SandboxArgs {
    pub fn to_config(&self) -> SandboxConfig {
        let defaults = SandboxConfig::default();
        SandboxConfig {
            python: self.python.clone(),
            slots: self.sandbox_slots.unwrap_or(defaults.slots),
            uid_base: self.uid_base,
            runtime_dir: self.runtime_dir.clone(),
            allow_weaker: self.allow_weaker,
            blocked_modules: self
                .blocked_modules
                .iter()
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect(),
            bwrap: self.bwrap.clone(),
            warm: self.sandbox_warm.unwrap_or(0),
            python_env: self.python_env(),
            artifacts: ArtifactLimits {
                max_files: usize::from(self.max_artifacts),
                max_total_bytes: self.max_artifacts_mib * 1024 * 1024,
            },
            ..defaults
        }
    }

    /// The configured environment, or the default one when it is installed.
    pub fn python_env(&self) -> Option<PathBuf> {
        self.python_env.clone().or_else(|| {
            let default = PathBuf::from(DEFAULT_PYTHON_ENV);
            default.exists().then_some(default)
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        sandbox: SandboxArgs,
    }

    #[test]
    fn blocked_modules_are_split_on_commas_and_flags_reach_the_config() {
        let cli = Cli::parse_from([
            "x",
            "--blocked-modules",
            "os, socket",
            "--allow-weaker",
            "--sandbox-slots",
            "2",
        ]);
        let config = cli.sandbox.to_config();
        assert_eq!(config.blocked_modules, vec!["os", "socket"]);
        assert!(config.allow_weaker);
        assert_eq!(config.slots, 2);
        assert_eq!(config.uid_base, 60_000);
        assert_eq!(config.runtime_dir, PathBuf::from("/run/code-remote"));
        assert_eq!(config.artifacts, ArtifactLimits::default());
    }

    #[test]
    fn artifact_limits_and_the_python_env_reach_the_config() {
        let cli = Cli::parse_from([
            "x",
            "--python-env",
            "/srv/env",
            "--max-artifacts",
            "3",
            "--max-artifacts-mib",
            "1",
        ]);
        let config = cli.sandbox.to_config();
        assert_eq!(config.python_env, Some(PathBuf::from("/srv/env")));
        assert_eq!(config.artifacts.max_files, 3);
        assert_eq!(config.artifacts.max_total_bytes, 1024 * 1024);
        assert!(Cli::try_parse_from(["x", "--max-artifacts-mib", "1000"]).is_err());
    }

    #[test]
    fn the_runtime_dir_can_be_moved() {
        let cli = Cli::parse_from(["x", "--runtime-dir", "/var/run/cr"]);
        assert_eq!(
            cli.sandbox.to_config().runtime_dir,
            PathBuf::from("/var/run/cr")
        );
    }

    #[test]
    fn default_api_limits_become_the_default_sandbox_limits() {
        let converted = code_remote_worker::sandbox_limits(&code_remote_core::Limits::default());
        assert_eq!(converted, code_remote_sandbox::Limits::default());
    }
}

//! The sandbox options shared by `serve`, `worker`, `run` and `doctor`.

use std::path::PathBuf;

use code_remote_sandbox::SandboxConfig;

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
            ..defaults
        }
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

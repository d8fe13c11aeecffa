//! Configuration of a [`crate::Sandbox`] (per machine) and [`Limits`] (per run), with the
//! defaults of DESIGN.md.

use std::{path::PathBuf, time::Duration};

use crate::{ArtifactLimits, Error, Result};

const MIB: u64 = 1024 * 1024;

/// Where [`SandboxConfig::runtime_dir`] is unless configured.
pub const DEFAULT_RUNTIME_DIR: &str = "/run/code-remote";

/// How the sandbox is set up on this machine. Build it with `..Default::default()`.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The Python interpreter; `None` finds one (Debian's `/usr/bin/python3` first).
    pub python: Option<PathBuf>,
    /// How many sandboxes may run at once; each has its own uid and cgroups.
    pub slots: usize,
    /// Slots run as the first free uids (and gids) from `uid_base` upwards, unique on the host
    /// across every process using the same `runtime_dir` (see [`crate::SLOT_UID_SPAN`]).
    /// These ids must own nothing on the host.
    pub uid_base: u32,
    /// Host directory for this machine's run-time state: the slot uid locks live in `slots/`.
    /// Created by the supervisor (root) if missing; must be writable by nobody else.
    pub runtime_dir: PathBuf,
    /// Run even when a required isolation layer is missing (never in production).
    pub allow_weaker: bool,
    /// Modules whose import fails with an `ImportError` naming the policy. A teaching policy,
    /// not a security boundary: the kernel layers are the boundary.
    pub blocked_modules: Vec<String>,
    /// The bubblewrap binary.
    pub bwrap: PathBuf,
    /// Size of the private `/tmp` tmpfs.
    pub tmp_bytes: u64,
    /// Size of the private `/dev/shm` tmpfs.
    pub shm_bytes: u64,
    /// The limits a `prepare()`d sandbox is shaped for (tmpfs size, rlimit ceilings).
    pub default_limits: Limits,
    /// Sandboxes kept prepared ahead (each holds a slot), so `prepare()` returns at once.
    pub warm: usize,
    /// The packages of sandboxed programs (see [`crate::PythonEnv`]); `None`: the bare
    /// interpreter, with nothing but its standard library.
    pub python_env: Option<PathBuf>,
    /// What a run may hand back from `/box/out/`.
    pub artifacts: ArtifactLimits,
    /// Reuse what an earlier start with the same binaries, configuration and boot probed
    /// (bubblewrap's version, the interpreter, a passed smoke test), kept in `runtime_dir`
    /// (root only). For one-shot runs; `doctor` and servers probe every time.
    pub reuse_probes: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            python: None,
            slots: 8,
            uid_base: 60_000,
            runtime_dir: PathBuf::from(DEFAULT_RUNTIME_DIR),
            allow_weaker: false,
            blocked_modules: Vec::new(),
            bwrap: PathBuf::from("/usr/bin/bwrap"),
            tmp_bytes: 16 * MIB,
            shm_bytes: 16 * MIB,
            default_limits: Limits::default(),
            warm: 0,
            python_env: None,
            artifacts: ArtifactLimits::default(),
            reuse_probes: false,
        }
    }
}

impl SandboxConfig {
    pub(crate) fn validate(&self) -> Result<()> {
        if self.slots == 0 || self.slots > 1024 {
            return Err(Error::InvalidConfig(format!(
                "slots must be 1..=1024, not {}",
                self.slots
            )));
        }
        let span = crate::SLOT_UID_SPAN;
        if self.uid_base < 1000 || self.uid_base.checked_add(span).is_none() {
            return Err(Error::InvalidConfig(format!(
                "uid_base {} must be at least 1000 (slot uids must not be system users)",
                self.uid_base
            )));
        }
        if !self.runtime_dir.is_absolute() {
            return Err(Error::InvalidConfig(format!(
                "runtime_dir {} must be an absolute path",
                self.runtime_dir.display()
            )));
        }
        for module in &self.blocked_modules {
            let valid = !module.is_empty()
                && module.split('.').all(|part| {
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
            if !valid {
                return Err(Error::InvalidConfig(format!(
                    "{module:?} is not a module name"
                )));
            }
        }
        if self.artifacts.max_files > crate::artifacts::MAX_SCANNED
            || self.artifacts.max_total_bytes > 256 * MIB
        {
            return Err(Error::InvalidConfig(format!(
                "artifact limits must be at most {} files and 256 MiB",
                crate::artifacts::MAX_SCANNED
            )));
        }
        self.default_limits.validate()
    }
}

/// The limits of one run. Each is enforced by the kernel or by the supervisor.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Wall-clock time from release of the code to the end of the run.
    pub wall_time: Duration,
    /// CPU share in cores (CFS quota).
    pub cpu_cores: f64,
    /// Memory, including tmpfs pages, page tables and swap.
    pub memory_bytes: u64,
    /// Processes and threads of the program, together.
    pub max_processes: u32,
    pub max_open_files: u32,
    pub max_file_size_bytes: u64,
    /// Size of the writable working directory `/box`.
    pub disk_bytes: u64,
    /// Bytes kept per output stream; one more byte kills the run.
    pub output_bytes_per_stream: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            wall_time: Duration::from_secs(30),
            cpu_cores: 1.0,
            memory_bytes: 256 * MIB,
            max_processes: 64,
            max_open_files: 256,
            max_file_size_bytes: 32 * MIB,
            disk_bytes: 64 * MIB,
            output_bytes_per_stream: MIB,
        }
    }
}

impl Limits {
    pub(crate) fn validate(&self) -> Result<()> {
        let bad = |what: &str| Err(Error::InvalidLimits(what.to_string()));
        if self.wall_time.is_zero() {
            return bad("wall_time must be positive");
        }
        if !(self.cpu_cores >= 0.01 && self.cpu_cores <= 1024.0) {
            return bad("cpu_cores must be between 0.01 and 1024");
        }
        if self.memory_bytes < 8 * MIB {
            return bad("memory_bytes must be at least 8 MiB");
        }
        if self.max_processes == 0 {
            return bad("max_processes must be at least 1");
        }
        if self.max_open_files < 8 {
            return bad("max_open_files must be at least 8");
        }
        if self.max_file_size_bytes < 4096 || self.disk_bytes < 4096 {
            return bad("max_file_size_bytes and disk_bytes must be at least 4 KiB");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_design_defaults_and_valid() {
        let limits = Limits::default();
        assert_eq!(limits.wall_time, Duration::from_secs(30));
        assert_eq!(limits.memory_bytes, 256 * MIB);
        assert_eq!(limits.max_processes, 64);
        assert!(SandboxConfig::default().validate().is_ok());
    }

    #[test]
    fn a_module_name_with_punctuation_is_rejected() {
        let config = SandboxConfig {
            blocked_modules: vec!["os;rm".into()],
            ..Default::default()
        };
        assert!(matches!(config.validate(), Err(Error::InvalidConfig(_))));
    }

    #[test]
    fn nan_cpu_and_zero_wall_time_are_rejected() {
        let nan = Limits {
            cpu_cores: f64::NAN,
            ..Limits::default()
        };
        assert!(nan.validate().is_err());
        let zero = Limits {
            wall_time: Duration::ZERO,
            ..Limits::default()
        };
        assert!(zero.validate().is_err());
    }

    #[test]
    fn system_uids_are_refused_as_slot_uids() {
        let config = SandboxConfig {
            uid_base: 0,
            ..Default::default()
        };
        assert!(config.validate().is_err());
    }
}

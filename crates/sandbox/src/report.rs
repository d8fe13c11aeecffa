//! Which isolation layers are active on this machine (`code-remote doctor`), and which are
//! required before untrusted code may run.

use std::{fmt, fs, path::Path, process::Command};

use crate::{
    SandboxConfig,
    cgroup::{self, CgroupSupport, Layout},
    sys,
};

/// The layers found by probing the machine. `Display` prints one line per layer.
#[derive(Clone, Debug)]
pub struct LayerReport {
    /// bubblewrap's version, or why it is unusable.
    pub bwrap: Result<String, String>,
    pub running_as_root: bool,
    /// Whether the launcher can mount `/box`, `/tmp` and `/dev/shm` noexec (root with
    /// CAP_SYS_ADMIN, or with CAP_SETUID and CAP_SETGID through a user namespace of its own);
    /// otherwise they are bwrap's tmpfs, which allow exec.
    pub noexec_tmpfs: bool,
    /// Whether the launcher makes its mounts in a user namespace of its own, because the
    /// supervisor is root without CAP_SYS_ADMIN (the shipped container images).
    pub launcher_userns: bool,
    pub cgroups: Result<String, String>,
    /// Landlock ABI version (informational: the design does not depend on it).
    pub landlock_abi: Option<i64>,
    /// The interpreter, or why none is usable.
    pub interpreter: Result<String, String>,
    /// Namespaces and seccomp, verified by a real sandbox run (`None` = not tried).
    pub smoke_test: Option<Result<(), String>>,
    /// Whether bubblewrap's version, the interpreter's probe and the smoke test's pass came
    /// from an earlier start with the same binaries, configuration and boot (see
    /// `SandboxConfig::reuse_probes`), instead of being probed now.
    pub probes_cached: bool,
    pub io_uring_disabled: Option<String>,
    /// Required layers that are missing.
    pub missing: Vec<String>,
    /// Guarantees that are weaker than designed because of what is missing.
    pub weaker: Vec<String>,
}

impl LayerReport {
    /// Probes everything but the smoke test. Used by [`crate::Sandbox::new`] and `doctor`.
    pub fn probe(config: &SandboxConfig) -> (LayerReport, CgroupSupport) {
        let (mut report, support) = Self::probe_layers();
        report.set_bwrap(bwrap_version(&config.bwrap));
        (report, support)
    }

    /// Probes everything but bubblewrap (left unprobed) and the smoke test.
    pub(crate) fn probe_layers() -> (LayerReport, CgroupSupport) {
        let root = sys::geteuid() == 0;
        let sys_admin = sys::has_cap_sys_admin();
        let launcher_userns =
            root && !sys_admin && sys::has_cap(sys::CAP_SETUID) && sys::has_cap(sys::CAP_SETGID);
        let noexec_tmpfs = root && (sys_admin || launcher_userns);
        let support = cgroup::detect();
        let cgroups = match &support {
            CgroupSupport::Usable(Layout::V1 { memory, .. }) => Ok(format!(
                "v1: memory(+memsw), pids, cpu, cpuacct, freezer under {}",
                memory.display()
            )),
            CgroupSupport::Usable(Layout::V2 { own }) => {
                Ok(format!("v2: memory, pids, cpu under {}", own.display()))
            }
            CgroupSupport::Unusable(why) => Err(why.clone()),
        };
        let mut report = LayerReport {
            bwrap: Err("not probed yet".into()),
            running_as_root: root,
            noexec_tmpfs,
            launcher_userns,
            cgroups,
            landlock_abi: sys::landlock_abi(),
            interpreter: Err("not probed yet".into()),
            smoke_test: None,
            probes_cached: false,
            io_uring_disabled: fs::read_to_string("/proc/sys/kernel/io_uring_disabled")
                .ok()
                .map(|s| s.trim().to_string()),
            missing: Vec::new(),
            weaker: Vec::new(),
        };
        if !root {
            report
                .missing
                .push("the supervisor is not root, so it cannot switch to per-slot uids".into());
            report.weaker.push(
                "sandboxes run as the supervisor's own uid (not a per-slot uid): processes of \
                 concurrent runs share a uid, and RLIMIT_NPROC cannot be used"
                    .into(),
            );
        }
        if root && !noexec_tmpfs {
            report.weaker.push(
                "/box, /tmp and /dev/shm allow exec: mounting them noexec needs CAP_SYS_ADMIN, or \
                 CAP_SETUID and CAP_SETGID, in the supervisor (bubblewrap 0.8 cannot do it)"
                    .into(),
            );
        }
        if let Err(why) = &report.cgroups {
            report.missing.push(format!("cgroups are unusable ({why})"));
            report.weaker.push(
                "memory is limited by RLIMIT_AS per process (not per sandbox, tmpfs not counted, \
                 MemoryError instead of memory_exceeded); processes are not limited per sandbox \
                 without root; CPU share is not limited; peak memory and CPU time come from \
                 rusage; teardown relies on the PID namespace instead of freeze-then-kill"
                    .into(),
            );
        }
        (report, support)
    }

    /// Records bubblewrap's version (or why it is unusable), probed now or cached.
    pub(crate) fn set_bwrap(&mut self, bwrap: Result<String, String>) {
        if let Err(why) = &bwrap {
            self.missing
                .insert(0, format!("bubblewrap is unusable ({why})"));
        }
        self.bwrap = bwrap;
    }

    /// True when every required layer is present.
    pub fn is_safe(&self) -> bool {
        self.missing.is_empty()
            && !matches!(self.smoke_test, Some(Err(_)))
            && self.interpreter.is_ok()
    }
}

pub(crate) fn bwrap_version(path: &Path) -> Result<String, String> {
    let output = Command::new(path)
        .arg("--version")
        .env_clear()
        .output()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text
        .trim()
        .strip_prefix("bubblewrap ")
        .unwrap_or(text.trim())
        .to_string();
    let parts: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    if parts.len() < 2 || (parts[0], parts[1]) < (0, 8) {
        return Err(format!(
            "{} reports version {version:?}; 0.8 or newer is needed",
            path.display()
        ));
    }
    Ok(format!("{version} at {}", path.display()))
}

fn line(f: &mut fmt::Formatter<'_>, name: &str, value: &Result<String, String>) -> fmt::Result {
    match value {
        Ok(v) => writeln!(f, "  ok       {name:<14} {v}"),
        Err(e) => writeln!(f, "  MISSING  {name:<14} {e}"),
    }
}

impl fmt::Display for LayerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Sandbox layers:")?;
        line(f, "bubblewrap", &self.bwrap)?;
        let uid = if self.running_as_root {
            Ok(
                "root: each slot runs as its own unprivileged uid, no_new_privs, no capabilities"
                    .into(),
            )
        } else {
            Err("not root: runs keep the supervisor's uid".into())
        };
        line(f, "uid switch", &uid)?;
        line(f, "cgroups", &self.cgroups)?;
        if self.noexec_tmpfs {
            let how = if self.launcher_userns {
                " (mounted in a user namespace of the launcher's own: no CAP_SYS_ADMIN)"
            } else {
                ""
            };
            line(
                f,
                "noexec",
                &Ok(format!("/box, /tmp and /dev/shm are noexec tmpfs{how}")),
            )?;
        } else {
            writeln!(
                f,
                "  info     {:<14} /box, /tmp and /dev/shm allow exec (optional hardening; needs \
                 root with CAP_SYS_ADMIN, or with CAP_SETUID and CAP_SETGID)",
                "noexec"
            )?;
        }
        let smoke = match &self.smoke_test {
            Some(Ok(())) => Ok(format!(
                "user, pid, net, ipc, uts, cgroup, mount namespaces + 4 seccomp programs \
                 verified by a test run{}",
                if self.probes_cached {
                    " (an earlier one, with the same binaries, configuration and boot)"
                } else {
                    ""
                }
            )),
            Some(Err(e)) => Err(format!("the test run failed: {e}")),
            None => Err("not verified (no test run)".to_string()),
        };
        line(f, "namespaces", &smoke)?;
        line(f, "interpreter", &self.interpreter)?;
        match self.landlock_abi {
            Some(abi) => writeln!(
                f,
                "  info     {:<14} ABI {abi} available (not used: optional layer)",
                "landlock"
            )?,
            None => writeln!(
                f,
                "  info     {:<14} unavailable (optional layer)",
                "landlock"
            )?,
        }
        if let Some(v) = &self.io_uring_disabled {
            writeln!(
                f,
                "  info     {:<14} kernel.io_uring_disabled={v} (seccomp blocks io_uring anyway)",
                "io_uring"
            )?;
        }
        for weaker in &self.weaker {
            writeln!(f, "  WEAKER   {weaker}")?;
        }
        if self.is_safe() {
            writeln!(f, "Runs are safe: every required layer is active.")
        } else {
            writeln!(f, "Runs are NOT safe: {}.", self.missing.join("; "))
        }
    }
}

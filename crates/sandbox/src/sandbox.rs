//! The long-lived [`Sandbox`]: probes the machine once, owns the slots (uid + cgroups) and the
//! compiled seccomp policy, and hands out [`Prepared`] sandboxes.

use std::{
    ffi::CString,
    io::Write,
    os::{
        fd::{AsRawFd, OwnedFd, RawFd},
        unix::ffi::OsStrExt,
    },
    path::PathBuf,
    sync::{Arc, Mutex, mpsc},
    thread,
};

use crate::{
    Error, LayerReport, Limits, Result, SandboxConfig,
    cgroup::{CgroupSupport, Cgroups, SlotCgroup},
    forkserver::{ForkServer, wire},
    interpreter::{self, Interpreter},
    launch::{self, IdMaps, LaunchFds, LauncherSetup, StagingPaths, Started},
    pool::{Pool, Taken},
    prepared::Prepared,
    probe_cache::{ProbeCache, Probed},
    pyenv::PythonEnv,
    seccomp::Policy,
    slot_uids::SlotUids,
    sys,
};

mod bwrap;

use bwrap::BootstrapFds;

type SpawnJob = Box<dyn FnOnce(&mut ForkServer) + Send>;

pub(crate) struct Inner {
    pub(crate) config: SandboxConfig,
    pub(crate) report: LayerReport,
    seccomp_fds: Vec<OwnedFd>,
    /// The bootstrap compiled by the interpreter (read-only, sealed; see `bwrap`).
    bootstrap: OwnedFd,
    interpreter: Interpreter,
    pub(crate) python_env: Option<PythonEnv>,
    staging: Option<StagingPaths>,
    cgroups: Option<(Cgroups, Vec<SlotCgroup>)>,
    pub(crate) pool: Pool,
    uids: SlotUids,
    /// Where the launcher mounts the noexec tmpfs of `/box`, `/tmp` and `/dev/shm` (only when
    /// root: see [`ScratchMounts`]); without it they are bwrap's tmpfs, which allow exec.
    scratch_root: Option<PathBuf>,
    /// The id maps of the launcher's own user namespace, when it needs one for its mounts
    /// (root without CAP_SYS_ADMIN: see [`IdMaps`]).
    own_userns: Option<IdMaps>,
    /// Sandboxes are spawned from this one long-lived thread, which owns the fork server:
    /// the launcher's parent-death signal fires when the *thread* that is its parent exits.
    spawner: Mutex<mpsc::Sender<SpawnJob>>,
    switch_uid: bool,
}

/// The sandbox of one machine. Create once, share through an `Arc`.
pub struct Sandbox {
    inner: Arc<Inner>,
    /// The thread refilling the warm pool (none without one); joined on drop.
    warmer: Option<thread::JoinHandle<()>>,
}

impl Sandbox {
    /// Probes the layers, compiles the seccomp policy, creates the slot cgroups and verifies the
    /// whole path with one tiny run. Fails when a required layer is missing, unless
    /// `config.allow_weaker`; then it says once, on stderr, which guarantees are weaker.
    pub fn new(config: SandboxConfig) -> Result<Sandbox> {
        config.validate()?;
        let (mut report, support) = LayerReport::probe_layers();
        let python = interpreter::locate(config.python.as_deref());
        let cache = python
            .as_deref()
            .ok()
            .and_then(|path| ProbeCache::new(&config, &report, path));
        let cached = cache.as_ref().and_then(ProbeCache::load);
        report.set_bwrap(match &cached {
            Some(cached) => Ok(cached.bwrap.clone()),
            None => crate::report::bwrap_version(&config.bwrap),
        });
        if let Err(why) = &report.bwrap {
            if !config.bwrap.exists() {
                return Err(Error::BwrapMissing(config.bwrap.clone()));
            }
            return Err(Error::Unsafe {
                missing: format!("bubblewrap is unusable: {why}"),
            });
        }
        let switch_uid = report.running_as_root;
        // Load-bearing: slot uids are shared by no other process on this host (slot_uids.rs).
        let uids = if switch_uid {
            SlotUids::lock(
                &config.runtime_dir.join("slots"),
                config.uid_base,
                config.slots,
            )?
        } else {
            SlotUids::unlocked(config.uid_base, config.slots)
        };
        let scratch_root = if report.noexec_tmpfs {
            let root = config.runtime_dir.join("mnt");
            crate::slot_uids::prepare_dir(&root)?;
            Some(root)
        } else {
            None
        };
        let own_userns = if report.launcher_userns {
            let map = |kind: &'static str| {
                sys::identity_id_map(kind)
                    .map(|m| CString::new(m).expect("no NUL"))
                    .map_err(|source| Error::Sys {
                        call: "read /proc/self/*id_map",
                        source,
                    })
            };
            Some(IdMaps {
                uid_map: map("uid")?,
                gid_map: map("gid")?,
            })
        } else {
            None
        };
        let probed = python.and_then(|path| {
            let text = match &cached {
                Some(cached) => cached.interpreter.clone(),
                None => interpreter::probe(&path)?,
            };
            let found = interpreter::inspect(&path, &text, switch_uid.then(|| uids.uid(0)))?;
            Ok((found, text))
        });
        let (interpreter, probe_text) = match probed {
            Ok((found, text)) => (Ok(found), text),
            Err(e) => (Err(e), String::new()),
        };
        report.interpreter = match &interpreter {
            Ok(i) => Ok(describe(i)),
            Err(e) => Err(e.to_string()),
        };
        let interpreter = interpreter?;
        let compiled = match &cached {
            Some(cached) => cached.bootstrap.clone(),
            None => bwrap::compile_bootstrap(&interpreter.executable)?,
        };
        let bootstrap = bwrap::bootstrap_memfd(&compiled)?;
        let python_env = config
            .python_env
            .as_deref()
            .map(PythonEnv::inspect)
            .transpose()?;
        if let Some(env) = &python_env {
            env.check_interpreter(&interpreter.version)?;
        }
        if !report.missing.is_empty() && !config.allow_weaker {
            return Err(Error::Unsafe {
                missing: report.missing.join("; "),
            });
        }
        let cgroups = match support {
            CgroupSupport::Usable(layout) => Some(Cgroups::create(layout, config.slots)?),
            CgroupSupport::Unusable(_) => None,
        };
        let policy = Policy::compile()?;
        let mut seccomp_fds = Vec::new();
        for program in &policy.programs {
            let fd = sys::memfd(c"code-remote-seccomp", true)?;
            std::fs::File::from(fd.try_clone().map_err(|_| Error::sys("dup"))?)
                .write_all(program)
                .map_err(|e| Error::Sys {
                    call: "write(seccomp memfd)",
                    source: e,
                })?;
            sys::seal(&fd)?;
            seccomp_fds.push(fd);
        }
        let (tx, rx) = mpsc::channel::<SpawnJob>();
        thread::Builder::new()
            .name("sandbox-spawner".into())
            .spawn(move || {
                let mut server = ForkServer::default();
                rx.into_iter().for_each(|job| job(&mut server));
            })
            .map_err(|e| Error::Sys {
                call: "spawn thread",
                source: e,
            })?;
        let staging = interpreter.staging.as_ref().map(StagingPaths::new);
        let inner = Inner {
            pool: Pool::new(config.slots, config.warm),
            uids,
            scratch_root,
            own_userns,
            config,
            report,
            seccomp_fds,
            bootstrap,
            interpreter,
            python_env,
            staging,
            cgroups,
            spawner: Mutex::new(tx),
            switch_uid,
        };
        let inner = Arc::new(inner);
        // A cache entry exists only for a start whose smoke test passed under the same key.
        let smoke = match cached {
            Some(_) => Ok(()),
            None => smoke_test(&inner),
        };
        let inner = finish_report(inner, smoke, cached.is_some())?;
        if let (Some(cache), None, Ok(bwrap)) = (&cache, &cached, &inner.report.bwrap)
            && inner.report.missing.is_empty()
        {
            cache.store(&Probed {
                bwrap: bwrap.clone(),
                interpreter: probe_text,
                bootstrap: compiled,
            });
        }
        let warmer = Pool::start_warming(&inner)?;
        Ok(Sandbox { inner, warmer })
    }

    /// What the probe found, for `doctor` and logs.
    pub fn report(&self) -> &LayerReport {
        &self.inner.report
    }

    /// Takes a free slot (blocking until one is free) and starts a sandbox shaped for the
    /// configured default limits, up to the point where it waits for its code.
    pub fn prepare(&self) -> Result<Prepared> {
        let shape = self.inner.config.default_limits.clone();
        self.prepare_with(&shape)
    }

    /// Like [`Sandbox::prepare`], shaped for `limits` (tmpfs size and rlimit ceilings).
    pub fn prepare_with(&self, limits: &Limits) -> Result<Prepared> {
        limits.validate()?;
        prepare(&self.inner, limits)
    }

    /// Processes still in any slot's cgroup or owned by any slot uid (should always be empty
    /// between runs; tests assert it).
    pub fn leftover_processes(&self) -> Vec<i32> {
        let inner = &self.inner;
        let mut pids: Vec<i32> = inner
            .cgroups
            .iter()
            .flat_map(|(_, slots)| slots.iter().flat_map(|s| s.pids()))
            .collect();
        pids.extend(processes_owned_by(inner.uids.all()));
        pids.sort_unstable();
        pids.dedup();
        pids
    }

    /// The packages sandboxed programs can import, inspected once at start-up (`None`: the
    /// bare interpreter).
    pub fn python_env(&self) -> Option<&PythonEnv> {
        self.inner.python_env.as_ref()
    }

    /// The interpreter's version, e.g. "3.11.2".
    pub fn python_version(&self) -> &str {
        &self.inner.interpreter.version
    }

    /// The uid of slot `k` (for tests and diagnostics).
    pub fn slot_uid(&self, k: usize) -> u32 {
        self.inner.slot_uid(k)
    }
}

fn smoke_test(inner: &Arc<Inner>) -> std::result::Result<(), String> {
    let program = crate::Program {
        code: b"import sys; sys.stdout.write('ok')".to_vec(),
        limits: Limits {
            wall_time: std::time::Duration::from_secs(10),
            ..Limits::default()
        },
        ..Default::default()
    };
    let outcome = prepare(inner, &inner.config.default_limits)
        .and_then(|p| p.run(program, None, &mut |_, _| {}));
    match outcome {
        Ok(o) if o.status == crate::Status::Succeeded && o.stdout == b"ok" => Ok(()),
        Ok(o) => Err(format!(
            "{:?}: {}{}",
            o.status,
            o.message.unwrap_or_default(),
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn finish_report(
    inner: Arc<Inner>,
    smoke: std::result::Result<(), String>,
    cached: bool,
) -> Result<Arc<Inner>> {
    // Only this function mutates the report, before the Sandbox is shared.
    // No Prepared outlives the smoke test, so this is the only reference.
    let mut inner = Arc::try_unwrap(inner).map_err(|_| Error::SupervisorGone)?;
    if let Err(why) = &smoke {
        inner
            .report
            .missing
            .push(format!("a test run in the sandbox failed ({why})"));
    }
    inner.report.smoke_test = Some(smoke);
    inner.report.probes_cached = cached;
    if !inner.report.missing.is_empty() {
        if !inner.config.allow_weaker {
            return Err(Error::Unsafe {
                missing: inner.report.missing.join("; "),
            });
        }
        eprintln!(
            "WARNING: running untrusted code with weaker isolation (allow_weaker): {}. {}",
            inner.report.missing.join("; "),
            inner.report.weaker.join("; ")
        );
    }
    Ok(Arc::new(inner))
}

/// Takes a warm sandbox or a free slot (blocking until there is one) and starts a sandbox in it.
fn prepare(inner: &Arc<Inner>, limits: &Limits) -> Result<Prepared> {
    match inner.pool.take()? {
        // A warm sandbox shaped differently is re-started by `run`.
        Taken::Warm(prepared) => Ok(prepared),
        Taken::Slot(slot) => Prepared::start(Arc::clone(inner), slot, limits.clone()),
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Warm sandboxes and the warmer hold the inner state; tearing them down lets it go, so
        // the slot uids are free for other processes once the last `Prepared` is gone too.
        drop(self.inner.pool.stop());
        if let Some(warmer) = self.warmer.take() {
            let _ = warmer.join();
        }
    }
}

fn describe(interpreter: &Interpreter) -> String {
    let mut text = format!(
        "Python {} at {}",
        interpreter.version,
        interpreter.executable.display()
    );
    if let Some(staging) = &interpreter.staging {
        text.push_str(&format!(
            " (prefix {} is not enterable by the slot uid: staged read-only in the launcher's own mount namespace)",
            staging.target.display()
        ));
    }
    text
}

/// Live pids whose real uid is in `uids`, from /proc. Zombies are not counted: bwrap's monitor
/// exits before reaping its PID-1 reaper, whose dead entry is then reaped by the host's init.
pub(crate) fn processes_owned_by(uids: &[u32]) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let zombie = status
                .lines()
                .any(|l| l.starts_with("State:") && l.contains('Z'));
            !zombie
                && status
                    .lines()
                    .find_map(|l| l.strip_prefix("Uid:"))
                    .and_then(|l| l.split_whitespace().next()?.parse::<u32>().ok())
                    .is_some_and(|uid| uids.contains(&uid))
        })
        .collect()
}

impl Inner {
    /// Whether sandboxes run as per-slot uids (not the supervisor's own).
    pub(crate) fn switches_uid(&self) -> bool {
        self.switch_uid
    }

    pub(crate) fn slot_uid(&self, slot: usize) -> u32 {
        self.uids.uid(slot)
    }

    pub(crate) fn release_slot(&self, slot: usize, quarantine: bool) {
        self.pool.release(slot, quarantine);
    }

    pub(crate) fn slot_cgroup(&self, slot: usize) -> Option<&SlotCgroup> {
        self.cgroups.as_ref().map(|(_, slots)| &slots[slot])
    }

    /// Starts bwrap for `slot`, shaped for `shape`; the bootstrap waits on `go`. It sends the
    /// `/box/out` directory through `out` (the sandbox's end of [`crate::artifacts`]' pair).
    pub(crate) fn spawn(
        &self,
        slot: usize,
        shape: &Limits,
        code: &OwnedFd,
        out: &OwnedFd,
    ) -> Result<Started> {
        let (go_r, go_w) = sys::pipe()?;
        let (ready_r, ready_w) = sys::pipe()?;
        // Fresh open file descriptions: bwrap read()s the programs, and concurrent launches
        // must not share a file offset.
        let seccomp: Vec<OwnedFd> = self
            .seccomp_fds
            .iter()
            .map(|fd| {
                std::fs::File::open(format!("/proc/self/fd/{}", fd.as_raw_fd())).map(OwnedFd::from)
            })
            .collect::<std::io::Result<_>>()
            .map_err(|e| Error::Sys {
                call: "reopen seccomp memfd",
                source: e,
            })?;
        // The launcher finds its fds at fixed numbers (see `launch`).
        let fds = BootstrapFds {
            go: launch::GO_FD,
            code: launch::CODE_FD,
            ready: launch::READY_FD,
            out: launch::OUT_FD,
        };
        let seccomp_numbers: Vec<RawFd> = (0..seccomp.len() as RawFd)
            .map(|i| launch::FIRST_SECCOMP_FD + i)
            .collect();
        let args = self.bwrap_args(shape, &seccomp_numbers, fds);
        let cgroup_procs = self
            .slot_cgroup(slot)
            .map(|cg| {
                cg.procs_files()
                    .iter()
                    .map(|p| CString::new(p.as_os_str().as_bytes()).expect("no NUL"))
                    .collect()
            })
            .unwrap_or_default();
        let setup = LauncherSetup {
            cgroup_procs,
            staging: self.staging.clone(),
            scratch: self.scratch_mounts(shape),
            rlimits: launch::rlimits(shape, self.cgroups.is_some(), self.switch_uid),
            uid: self.switch_uid.then(|| self.slot_uid(slot)),
            keep_fds: Vec::new(),
            own_userns: self.own_userns.clone(),
        };
        let request = wire::encode(&self.config.bwrap, &args, &setup);
        let dup = |fd: &OwnedFd| fd.try_clone().map_err(|_| Error::sys("dup"));
        let launch_fds = LaunchFds {
            go: go_r,
            code: dup(code)?,
            ready: ready_w,
            out: dup(out)?,
            bootstrap: dup(&self.bootstrap)?,
            seccomp,
        };
        let (reply_tx, reply_rx) = mpsc::channel();
        let job: SpawnJob = Box::new(move |server| {
            let started = launch::start(server, &request, launch_fds, (go_w, ready_r));
            let _ = reply_tx.send(started);
        });
        self.spawner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(job)
            .map_err(|_| Error::SupervisorGone)?;
        reply_rx.recv().map_err(|_| Error::SupervisorGone)?
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some((cgroups, slots)) = &self.cgroups {
            cgroups.remove(slots);
        }
    }
}

//! Per-slot cgroups: limits, counters and the freeze-then-kill teardown, for cgroup v1 (separate
//! controller hierarchies, as on our workers) and cgroup v2 (one unified hierarchy).
//!
//! Each [`crate::Sandbox`] creates its own parent group `code-remote.<pid>.<n>` under the
//! supervisor's current cgroup (so the operator's limits on the supervisor still bound the
//! sandboxes), with one child per slot that is reused run after run. Groups left by a dead
//! supervisor are emptied and removed at start-up.
//!
//! The host only ever writes cgroupfs files here; it never touches a path the sandbox can write.

mod detect;

use std::{
    fs, io,
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

pub use detect::{CgroupSupport, detect};

use crate::{Error, Limits, Result, sys};

const CFS_PERIOD_US: u64 = 100_000;
/// How long a teardown may take before the slot is declared broken.
const TEARDOWN_DEADLINE: Duration = Duration::from_secs(2);
const TEARDOWN_POLL: Duration = Duration::from_millis(2);

static INSTANCE: AtomicUsize = AtomicUsize::new(0);

/// Which hierarchy layout is in use.
#[derive(Clone, Debug)]
pub enum Layout {
    /// Directories of this process's own group in each v1 controller hierarchy.
    V1 {
        memory: PathBuf,
        pids: PathBuf,
        cpu: PathBuf,
        cpuacct: PathBuf,
        freezer: PathBuf,
    },
    /// This process's own group in the unified hierarchy.
    V2 { own: PathBuf },
}

/// The parent group of one [`crate::Sandbox`] instance.
pub struct Cgroups {
    layout: Layout,
    name: String,
}

/// The cgroup(s) of one slot.
#[derive(Clone, Debug)]
pub struct SlotCgroup {
    v2: bool,
    /// v1: memory, pids, cpu, cpuacct, freezer (cpu and cpuacct may coincide); v2: one.
    dirs: Vec<PathBuf>,
    memory: PathBuf,
    pids: PathBuf,
    cpu: PathBuf,
    cpuacct: PathBuf,
    freezer: PathBuf,
    has_memsw: bool,
    /// The limits last written to the slot's files, shared by every clone of this handle:
    /// writing the same values again (a run shaped like its prepared sandbox, run after run)
    /// is skipped. `None` after a failed write: the files' state is then unknown.
    applied: Arc<Mutex<Option<Applied>>>,
}

/// What [`SlotCgroup::configure`] writes, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Applied {
    memory: u64,
    cpu_quota: u64,
    pids: u64,
}

fn write(path: &Path, value: &str, op: &'static str) -> Result<()> {
    fs::write(path, value).map_err(|source| Error::Cgroup {
        op,
        path: path.to_owned(),
        source,
    })
}

fn read(path: &Path, op: &'static str) -> Result<String> {
    fs::read_to_string(path).map_err(|source| Error::Cgroup {
        op,
        path: path.to_owned(),
        source,
    })
}

fn mkdir(path: &Path) -> Result<()> {
    match fs::create_dir(path) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(Error::Cgroup {
            op: "mkdir",
            path: path.to_owned(),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn field(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

impl Cgroups {
    /// Creates this instance's parent group and one child per slot.
    pub fn create(layout: Layout, slots: usize) -> Result<(Cgroups, Vec<SlotCgroup>)> {
        remove_stale(&layout);
        let n = INSTANCE.fetch_add(1, Ordering::Relaxed);
        let name = format!("code-remote.{}.{n}", std::process::id());
        let cgroups = Cgroups { layout, name };
        let mut slot_groups = Vec::with_capacity(slots);
        match &cgroups.layout {
            Layout::V1 {
                memory,
                pids,
                cpu,
                cpuacct,
                freezer,
            } => {
                for base in [memory, pids, cpu, cpuacct, freezer] {
                    mkdir(&base.join(&cgroups.name))?;
                }
                for k in 0..slots {
                    let slot = format!("slot-{k}");
                    let at = |base: &PathBuf| base.join(&cgroups.name).join(&slot);
                    let mut dirs = vec![at(memory), at(pids), at(cpu), at(freezer)];
                    if cpuacct != cpu {
                        dirs.push(at(cpuacct));
                    }
                    for dir in &dirs {
                        mkdir(dir)?;
                    }
                    slot_groups.push(SlotCgroup {
                        v2: false,
                        has_memsw: at(memory).join("memory.memsw.limit_in_bytes").exists(),
                        memory: at(memory),
                        pids: at(pids),
                        cpu: at(cpu),
                        cpuacct: at(cpuacct),
                        freezer: at(freezer),
                        dirs,
                        applied: Arc::default(),
                    });
                }
            }
            Layout::V2 { own } => {
                enable_v2_controllers(own)?;
                let parent = own.join(&cgroups.name);
                mkdir(&parent)?;
                write(
                    &parent.join("cgroup.subtree_control"),
                    "+memory +pids +cpu",
                    "enable controllers",
                )?;
                for k in 0..slots {
                    let dir = parent.join(format!("slot-{k}"));
                    mkdir(&dir)?;
                    slot_groups.push(SlotCgroup {
                        v2: true,
                        has_memsw: dir.join("memory.swap.max").exists(),
                        memory: dir.clone(),
                        pids: dir.clone(),
                        cpu: dir.clone(),
                        cpuacct: dir.clone(),
                        freezer: dir.clone(),
                        dirs: vec![dir],
                        applied: Arc::default(),
                    });
                }
            }
        }
        Ok((cgroups, slot_groups))
    }

    /// Removes the instance's groups (the slots must be empty).
    pub fn remove(&self, slots: &[SlotCgroup]) {
        for slot in slots {
            slot.kill_all(None);
            let _ = slot.wait_empty();
            for dir in &slot.dirs {
                let _ = fs::remove_dir(dir);
            }
        }
        for base in self.bases() {
            let _ = fs::remove_dir(base.join(&self.name));
        }
    }

    fn bases(&self) -> Vec<&PathBuf> {
        match &self.layout {
            Layout::V1 {
                memory,
                pids,
                cpu,
                cpuacct,
                freezer,
            } => vec![memory, pids, cpu, cpuacct, freezer],
            Layout::V2 { own } => vec![own],
        }
    }
}

const V2_CONTROLLERS: &str = "+memory +pids +cpu";

/// Makes memory, pids and cpu available to children of `own`. cgroup v2 refuses that while
/// `own` (not the root) holds processes, so the supervisor first moves itself into a leaf
/// `own/code-remote-supervisor` (the usual pattern for a delegated group).
fn enable_v2_controllers(own: &Path) -> Result<()> {
    let control = own.join("cgroup.subtree_control");
    if fs::write(&control, V2_CONTROLLERS).is_ok() {
        return Ok(());
    }
    let leaf = own.join("code-remote-supervisor");
    mkdir(&leaf)?;
    write(
        &leaf.join("cgroup.procs"),
        &std::process::id().to_string(),
        "move the supervisor to a leaf group",
    )?;
    write(&control, V2_CONTROLLERS, "enable controllers")
}

/// Empties and removes groups of supervisors that are no longer running.
fn remove_stale(layout: &Layout) {
    let bases = match layout {
        Layout::V1 {
            memory,
            pids,
            cpu,
            cpuacct,
            freezer,
        } => vec![memory, pids, cpu, cpuacct, freezer],
        Layout::V2 { own } => vec![own],
    };
    for base in bases {
        let Ok(entries) = fs::read_dir(base) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name
                .strip_prefix("code-remote.")
                .and_then(|r| r.split('.').next())
            else {
                continue;
            };
            if Path::new("/proc").join(pid).exists() {
                continue;
            }
            let Ok(slots) = fs::read_dir(entry.path()) else {
                continue;
            };
            for slot in slots.flatten().filter(|s| s.path().is_dir()) {
                for pid in procs(&slot.path()) {
                    sys::kill(pid, libc::SIGKILL);
                }
                let deadline = Instant::now() + TEARDOWN_DEADLINE;
                while fs::remove_dir(slot.path()).is_err() && Instant::now() < deadline {
                    thread::sleep(TEARDOWN_POLL);
                }
            }
            let _ = fs::remove_dir(entry.path());
        }
    }
}

fn procs(dir: &Path) -> Vec<i32> {
    fs::read_to_string(dir.join("cgroup.procs"))
        .map(|text| text.lines().filter_map(|l| l.trim().parse().ok()).collect())
        .unwrap_or_default()
}

impl SlotCgroup {
    /// The `cgroup.procs` files a new process writes "0" to, to join this slot.
    pub fn procs_files(&self) -> Vec<PathBuf> {
        self.dirs.iter().map(|d| d.join("cgroup.procs")).collect()
    }

    /// Applies the limits of one run (nothing to write when they are already in place).
    pub fn configure(&self, limits: &Limits) -> Result<()> {
        let wanted = Applied {
            memory: limits.memory_bytes,
            cpu_quota: ((limits.cpu_cores * CFS_PERIOD_US as f64).round() as u64).max(1000),
            // The program's own tasks, plus our launcher, bwrap's monitor and PID-1 reaper.
            pids: u64::from(limits.max_processes) + 3,
        };
        let mut applied = self.applied.lock().unwrap_or_else(|e| e.into_inner());
        if *applied == Some(wanted) {
            return Ok(());
        }
        *applied = None;
        self.write_limits(wanted)?;
        *applied = Some(wanted);
        Ok(())
    }

    fn write_limits(&self, limits: Applied) -> Result<()> {
        let memory = limits.memory.to_string();
        let quota = limits.cpu_quota;
        let pids = limits.pids.to_string();
        if self.v2 {
            write(&self.memory.join("memory.max"), &memory, "set memory.max")?;
            if self.has_memsw {
                write(
                    &self.memory.join("memory.swap.max"),
                    "0",
                    "set memory.swap.max",
                )?;
            }
            write(&self.pids.join("pids.max"), &pids, "set pids.max")?;
            write(
                &self.cpu.join("cpu.max"),
                &format!("{quota} {CFS_PERIOD_US}"),
                "set cpu.max",
            )?;
        } else {
            let limit = self.memory.join("memory.limit_in_bytes");
            if self.has_memsw {
                // memsw must stay >= the memory limit at every step: open it, set, then close it.
                let memsw = self.memory.join("memory.memsw.limit_in_bytes");
                write(&memsw, "-1", "open memory.memsw.limit_in_bytes")?;
                write(&limit, &memory, "set memory.limit_in_bytes")?;
                write(&memsw, &memory, "set memory.memsw.limit_in_bytes")?;
            } else {
                write(&limit, &memory, "set memory.limit_in_bytes")?;
            }
            write(&self.pids.join("pids.max"), &pids, "set pids.max")?;
            write(
                &self.cpu.join("cpu.cfs_period_us"),
                &CFS_PERIOD_US.to_string(),
                "set cpu.cfs_period_us",
            )?;
            write(
                &self.cpu.join("cpu.cfs_quota_us"),
                &quota.to_string(),
                "set cpu.cfs_quota_us",
            )?;
        }
        Ok(())
    }

    /// Starts the measurements of a run; returns the OOM-kill counter's value at the start.
    pub fn start_measuring(&self) -> Result<u64> {
        if !self.v2 {
            write(
                &self.cpuacct.join("cpuacct.usage"),
                "0",
                "reset cpuacct.usage",
            )?;
            write(
                &self.memory.join("memory.max_usage_in_bytes"),
                "0",
                "reset memory.max_usage_in_bytes",
            )?;
        }
        self.oom_kills()
    }

    pub fn oom_kills(&self) -> Result<u64> {
        let (file, op) = if self.v2 {
            ("memory.events", "read memory.events")
        } else {
            ("memory.oom_control", "read memory.oom_control")
        };
        Ok(field(&read(&self.memory.join(file), op)?, "oom_kill").unwrap_or(0))
    }

    pub fn cpu_time(&self) -> Duration {
        if self.v2 {
            let stat = fs::read_to_string(self.cpu.join("cpu.stat")).unwrap_or_default();
            Duration::from_micros(field(&stat, "usage_usec").unwrap_or(0))
        } else {
            let usage = fs::read_to_string(self.cpuacct.join("cpuacct.usage")).unwrap_or_default();
            Duration::from_nanos(usage.trim().parse().unwrap_or(0))
        }
    }

    pub fn peak_memory(&self) -> u64 {
        let file = if self.v2 {
            "memory.peak"
        } else {
            "memory.max_usage_in_bytes"
        };
        fs::read_to_string(self.memory.join(file))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Every process in any of the slot's groups.
    pub fn pids(&self) -> Vec<i32> {
        let mut all: Vec<i32> = self.dirs.iter().flat_map(|d| procs(d)).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// Freeze, SIGKILL every member but the launcher (`spare`, which then reaps the rest and
    /// exits), thaw: nothing can fork while it is being killed.
    pub fn kill_all(&self, spare: Option<i32>) {
        if self.v2 {
            if spare.is_none() && fs::write(self.freezer.join("cgroup.kill"), "1").is_ok() {
                return;
            }
            let _ = fs::write(self.freezer.join("cgroup.freeze"), "1");
        } else {
            let state = self.freezer.join("freezer.state");
            let _ = fs::write(&state, "FROZEN");
            let deadline = Instant::now() + Duration::from_millis(200);
            while fs::read_to_string(&state).is_ok_and(|s| s.trim() != "FROZEN")
                && Instant::now() < deadline
            {
                thread::sleep(Duration::from_micros(200));
            }
        }
        for pid in self.pids().into_iter().filter(|pid| Some(*pid) != spare) {
            sys::kill(pid, libc::SIGKILL);
        }
        if self.v2 {
            let _ = fs::write(self.freezer.join("cgroup.freeze"), "0");
        } else {
            let _ = fs::write(self.freezer.join("freezer.state"), "THAWED");
        }
    }

    /// Tasks still charged to the slot, including exiting ones and unreaped zombies.
    fn charged_tasks(&self) -> u64 {
        fs::read_to_string(self.pids.join("pids.current"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Waits until the slot holds no process, killing again if needed. Called after the
    /// launcher was reaped, so normally there is nothing left at all.
    ///
    /// An exiting task leaves `cgroup.procs` before it is gone, so this also waits for the pids
    /// controller's count (which includes zombies) to reach zero.
    pub fn wait_empty(&self) -> std::result::Result<(), Vec<i32>> {
        let deadline = Instant::now() + TEARDOWN_DEADLINE;
        let mut last_kill = Instant::now();
        loop {
            let left = self.pids();
            if left.is_empty() && self.charged_tasks() == 0 {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return if left.is_empty() { Ok(()) } else { Err(left) };
            }
            if last_kill.elapsed() > Duration::from_millis(100) {
                self.kill_all(None);
                last_kill = Instant::now();
            }
            thread::sleep(TEARDOWN_POLL);
        }
    }
}

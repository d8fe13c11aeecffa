//! A [`Prepared`] sandbox: started up to the point where it waits for its code, and run once.

use std::{io::Write, os::fd::OwnedFd, sync::Arc, time::Instant};

use crate::{
    ControlReceiver, Error, Limits, Outcome, Program, Result, Stream, artifacts,
    launch::Started,
    sandbox::Inner,
    supervise::{self, Ended},
    sys, verdict,
};

/// A fresh sandbox holding a slot, waiting for its code. Run it once with [`Prepared::run`];
/// dropping it unused tears it down and frees the slot.
pub struct Prepared {
    inner: Arc<Inner>,
    slot: usize,
    shape: Limits,
    started: Option<Started>,
    code: OwnedFd,
    /// Our end of the socket the bootstrap sends `/box/out` through (see `artifacts`).
    out: Option<OwnedFd>,
    /// A launch may have left a process in the slot that we cannot wait for.
    unaccounted: bool,
}

impl Prepared {
    pub(crate) fn start(inner: Arc<Inner>, slot: usize, shape: Limits) -> Result<Prepared> {
        let code = match sys::memfd(c"main.py", true) {
            Ok(code) => code,
            Err(e) => {
                inner.release_slot(slot, false);
                return Err(e);
            }
        };
        let mut prepared = Prepared {
            inner,
            slot,
            shape,
            started: None,
            code,
            out: None,
            unaccounted: false,
        };
        prepared.launch()?;
        Ok(prepared)
    }

    /// Starts bwrap in this slot for `self.shape`. The idle sandbox is bounded by the shape's
    /// cgroup limits until its run's own limits replace them.
    fn launch(&mut self) -> Result<()> {
        if let Some(cgroup) = self.inner.slot_cgroup(self.slot) {
            cgroup.configure(&self.shape)?;
        }
        let (ours, theirs) = artifacts::socket_pair().map_err(|e| Error::Sys {
            call: "socketpair",
            source: e,
        })?;
        let started = self
            .inner
            .spawn(self.slot, &self.shape, &self.code, &theirs)
            .inspect_err(|e| {
                // A fork server that died during the launch may have started a launcher we
                // hold no handle to: this slot is never handed out again.
                if matches!(e, Error::ForkServerGone) {
                    self.unaccounted = true;
                }
            })?;
        self.started = Some(started);
        self.out = Some(ours);
        Ok(())
    }

    /// The uid this sandbox runs as.
    pub fn uid(&self) -> u32 {
        self.inner.slot_uid(self.slot)
    }

    /// Whether a sandbox started for `self.shape` can enforce `limits` exactly.
    fn fits(&self, limits: &Limits) -> bool {
        let shape = &self.shape;
        let with_cgroups = self.inner.slot_cgroup(self.slot).is_some();
        limits.disk_bytes == shape.disk_bytes
            && limits.max_open_files <= shape.max_open_files
            && limits.max_file_size_bytes <= shape.max_file_size_bytes
            && limits.wall_time <= shape.wall_time
            && limits.cpu_cores <= shape.cpu_cores.max(1.0)
            && (with_cgroups
                || (limits.memory_bytes == shape.memory_bytes
                    && limits.max_processes == shape.max_processes))
    }

    /// Runs `program` in this sandbox. Output chunks go to `on_output` as they arrive; `control`
    /// (from [`crate::controller`]) feeds stdin and can cancel. A program that fails, times out
    /// or exceeds a limit is an `Ok` outcome; `Err` means the platform failed.
    pub fn run(
        mut self,
        program: Program,
        control: Option<ControlReceiver>,
        on_output: &mut dyn FnMut(Stream, &[u8]),
    ) -> Result<Outcome> {
        program.limits.validate()?;
        if !self.fits(&program.limits) {
            self.kill_started();
            self.shape = program.limits.clone();
            self.launch()?;
        }
        let started = self.started.take().ok_or(Error::SupervisorGone)?;
        let limits = &program.limits;
        let mut code = std::fs::File::from(self.code.try_clone().map_err(|_| Error::sys("dup"))?);
        code.write_all(&program.code).map_err(|e| Error::Sys {
            call: "write(code memfd)",
            source: e,
        })?;
        sys::seal(&self.code)?;
        let cgroup = self.inner.slot_cgroup(self.slot).cloned();
        let oom_before = match &cgroup {
            Some(cg) => {
                cg.configure(limits)?;
                cg.start_measuring()?
            }
            None => 0,
        };
        let release = format!(
            "{}\n{}\n{}\n",
            limits.max_open_files,
            limits.max_file_size_bytes,
            self.inner.config.blocked_modules.join(",")
        );
        let released_at = Instant::now();
        let Started {
            mut child,
            stdin,
            stdout,
            stderr,
            go,
            ready,
        } = started;
        // The bootstrap reads to EOF, so closing `go` (by dropping it) completes the release.
        // A bootstrap that already died gives EPIPE here; the exit status tells the rest.
        let _ = std::fs::File::from(go).write_all(release.as_bytes());
        let ended = supervise::supervise(supervise::Run {
            child: &mut child,
            stdin,
            stdout,
            stderr,
            program: &program,
            control,
            cgroup: cgroup.as_ref(),
            released_at,
            ready,
            on_output,
        });
        // Whatever happened, nothing of this sandbox may outlive the run.
        let survivors = cgroup.as_ref().and_then(|cg| cg.wait_empty().err());
        if let Some(pids) = survivors {
            let slot = self.slot;
            self.inner.release_slot(slot, true);
            self.slot = usize::MAX;
            return Err(Error::Survivors { slot, pids });
        }
        let ended: Ended = ended?;
        // Every process of the sandbox is gone: nothing can change /box/out any more.
        let collected = self
            .out
            .take()
            .and_then(|socket| artifacts::receive_dir(&socket))
            .map(|dir| {
                let owner = self.inner.switches_uid().then(|| self.uid());
                artifacts::collect(&dir, owner, &self.inner.config.artifacts)
            })
            .unwrap_or_default();
        let measured = verdict::Measured {
            oom_kills: match &cgroup {
                Some(cg) => cg.oom_kills()?.saturating_sub(oom_before),
                None => 0,
            },
            cpu_time: cgroup.as_ref().map(|cg| cg.cpu_time()),
            peak_memory: cgroup.as_ref().map(|cg| cg.peak_memory()),
        };
        let mut outcome = verdict::outcome(ended, measured, limits);
        outcome.artifacts = collected;
        Ok(outcome)
    }

    /// Tears down a started but unused sandbox; false if processes survived it.
    fn kill_started(&mut self) -> bool {
        let Some(mut started) = self.started.take() else {
            return true;
        };
        let launcher = started.child.id() as i32;
        match self.inner.slot_cgroup(self.slot) {
            Some(cg) => cg.kill_all(Some(launcher)),
            None => sys::kill(-launcher, libc::SIGKILL),
        }
        let _ = started.child.wait();
        self.inner
            .slot_cgroup(self.slot)
            .is_none_or(|cg| cg.wait_empty().is_ok())
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        let clean = self.kill_started() && !self.unaccounted;
        if self.slot != usize::MAX {
            self.inner.release_slot(self.slot, !clean);
        }
    }
}

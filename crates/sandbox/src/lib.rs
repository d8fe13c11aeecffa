//! Runs untrusted Python in a fresh, locked-down Linux sandbox.
//!
//! A long-lived [`Sandbox`] probes the machine once, compiles the seccomp policy and owns a
//! fixed set of slots (one unprivileged uid, unique on the host, and one set of cgroups each). [`Sandbox::prepare`]
//! takes a slot and starts a fresh bubblewrap sandbox up to the point where it waits for its
//! code; [`Prepared::run`] releases the code, streams output, feeds stdin, enforces the limits
//! and tears everything down (freeze, kill, verify the cgroup is empty).
//!
//! Layers, outermost first: per-slot uid (unique on the host) + `no_new_privs`; cgroups (memory
//! incl. tmpfs, pids, CPU share, freezer); rlimits; bwrap's user/pid/net/ipc/uts/cgroup/mount
//! namespaces with a minimal read-only root, a `/dev` without ttys and sized noexec tmpfs for
//! `/box`, `/tmp` and `/dev/shm`; four seccomp programs. The optional import policy is a teaching aid on top, never a boundary.
//!
//! What this crate does not do: network access of any kind, persistent files, or any
//! host-side lookup of a path the sandbox can write (code goes in through a memfd, output comes
//! out through pipes, and the files of `/box/out` are read after the run relative to a directory
//! fd, never following a link: see `artifacts`). It is synchronous; call it from a blocking thread.
//! Linux (x86_64) only.

mod artifacts;
mod cgroup;
mod config;
mod control;
mod error;
mod forkserver;
mod interpreter;
mod launch;
mod outcome;
mod pool;
mod prepared;
mod probe_cache;
mod pyenv;
mod report;
mod sandbox;
mod seccomp;
mod slot_uids;
mod supervise;
mod sys;
mod verdict;

pub use artifacts::{
    Artifact, ArtifactLimits, Artifacts, MAX_NAME_BYTES, sanitise as sanitise_artifact_name,
};
pub use config::{DEFAULT_RUNTIME_DIR, Limits, SandboxConfig};
pub use control::{ControlReceiver, Controller, MAX_PENDING_STDIN, StdinFull, controller};
pub use error::{Error, Result};
pub use interpreter::{CANDIDATES as PYTHON_CANDIDATES, python_version};
pub use outcome::{Outcome, Program, Status, Stream};
pub use prepared::Prepared;
pub use pyenv::{DEFAULT_PYTHON_ENV, Package, PythonEnv, REQUIRED_PACKAGES};
pub use report::LayerReport;
pub use sandbox::Sandbox;
pub use seccomp::HIGHEST_REVIEWED_SYSCALL;
pub use slot_uids::SLOT_UID_SPAN;

#[cfg(test)]
mod tests {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}

    #[test]
    fn the_handles_can_be_shared_and_moved_between_threads() {
        send_sync::<crate::Sandbox>();
        send_sync::<crate::Controller>();
        send::<crate::Prepared>();
        send::<crate::ControlReceiver>();
        send::<crate::Outcome>();
    }
}

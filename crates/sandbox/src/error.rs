//! Errors of the sandbox platform itself. A program that crashes, times out or runs out of
//! memory is not an error: it is an [`crate::Outcome`].

use std::{io, path::PathBuf};

/// What went wrong in the platform (never in the user's program).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("bubblewrap was not found at {0} (install the `bubblewrap` package)")]
    BwrapMissing(PathBuf),
    #[error(
        "no Python interpreter found (tried {tried}); install python3 or set the interpreter path"
    )]
    PythonNotFound { tried: String },
    #[error("the interpreter {path} cannot be used: {reason}")]
    PythonUnusable { path: PathBuf, reason: String },
    #[error("the Python environment {path} cannot be used: {reason}")]
    PythonEnvUnusable { path: PathBuf, reason: String },
    #[error(
        "running untrusted code here is unsafe because {missing}; fix that (see `code-remote doctor`) \
         or opt into weaker isolation explicitly with --allow-weaker / CODE_REMOTE_ALLOW_WEAKER=true"
    )]
    Unsafe { missing: String },
    #[error("invalid sandbox configuration: {0}")]
    InvalidConfig(String),
    #[error("invalid limits: {0}")]
    InvalidLimits(String),
    #[error("could not compile the seccomp policy: {0}")]
    Seccomp(#[from] seccompiler::BackendError),
    #[error("cgroup operation `{op}` on {path} failed: {source}")]
    Cgroup {
        op: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("could not start the sandbox: {0}")]
    Spawn(io::Error),
    #[error("system call `{call}` failed: {source}")]
    Sys {
        call: &'static str,
        source: io::Error,
    },
    #[error("processes {pids:?} survived the teardown of slot {slot}; the slot is quarantined")]
    Survivors { slot: usize, pids: Vec<i32> },
    #[error(
        "every sandbox slot is quarantined after teardowns that left processes behind; restart the service"
    )]
    AllSlotsQuarantined,
    #[error("slot uid lock {path}: {source}")]
    SlotLocks { path: PathBuf, source: io::Error },
    #[error(
        "the slot lock directory {path} is unsafe because {why}; remove it or choose another \
         --runtime-dir (it must be a directory of the supervisor's user that only it can write)"
    )]
    UnsafeRuntimeDir { path: PathBuf, why: &'static str },
    #[error(
        "no free slot uids: {wanted} are needed, and other processes on this host hold the locks \
         (in {dir}) of the rest of uids {first}..{first}+{span}; stop some or use another --uid-base"
    )]
    NoFreeSlotUids {
        dir: PathBuf,
        first: u32,
        span: u32,
        wanted: usize,
    },
    #[error(
        "the sandbox's fork server died while starting a sandbox (it is restarted for the next one)"
    )]
    ForkServerGone,
    #[error("the sandbox's supervisor thread is gone")]
    SupervisorGone,
}

/// Result of platform operations.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn sys(call: &'static str) -> Self {
        Error::Sys {
            call,
            source: io::Error::last_os_error(),
        }
    }
}

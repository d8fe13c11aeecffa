//! Starting one sandbox: bubblewrap's arguments and the code that runs between fork and exec.
//!
//! The launcher (the forked child, still root) joins the slot's cgroups, stages an unreachable
//! interpreter prefix if needed, sets rlimits, drops to the slot uid and gid with no
//! supplementary groups, sets `no_new_privs` and a parent-death signal, starts a new session,
//! then forks once more: it stays behind as the subreaper of the sandbox (`reap_all`) while its
//! child marks every fd but the ones bwrap needs close-on-exec and execs bwrap with an empty
//! environment. Only async-signal-safe calls happen after the fork: every path and value is
//! prepared beforehand.

use std::{
    ffi::CString,
    io,
    os::{
        fd::{AsRawFd, OwnedFd, RawFd},
        unix::{ffi::OsStrExt, process::CommandExt},
    },
    path::Path,
    process::{Child, Command, Stdio},
};

use crate::{Error, Limits, Result, interpreter::Staging};

/// What the forked launcher does before it execs bwrap.
pub struct LauncherSetup {
    pub cgroup_procs: Vec<CString>,
    pub staging: Option<StagingPaths>,
    /// The sandbox's writable directories as noexec tmpfs (`None`: bwrap's own tmpfs).
    pub scratch: Option<ScratchMounts>,
    pub rlimits: Vec<(libc::__rlimit_resource_t, u64)>,
    /// Slot uid and gid; `None` keeps the supervisor's own (only in a weaker mode).
    pub uid: Option<u32>,
    pub keep_fds: Vec<RawFd>,
}

/// [`Staging`] with every path pre-converted for use after fork.
#[derive(Clone)]
pub struct StagingPaths {
    hide: CString,
    create: Vec<CString>,
    target: CString,
}

impl StagingPaths {
    pub fn new(staging: &Staging) -> StagingPaths {
        let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).expect("paths have no NUL");
        StagingPaths {
            hide: c(&staging.hide),
            create: staging.create.iter().map(|p| c(p)).collect(),
            target: c(&staging.target),
        }
    }
}

/// Noexec tmpfs for the sandbox's writable directories (`/box`, `/tmp`, `/dev/shm`). bwrap 0.8
/// cannot mount a tmpfs `noexec`, so the launcher mounts them, still root, in its own private
/// mount namespace: an empty tmpfs covers `root` (an empty host directory of the runtime
/// directory), and one sized tmpfs per directory is mounted inside it; bwrap binds them in. The
/// host's mount table never changes and the host never sees what the program writes. In the
/// sandbox's user namespace the `noexec` flag is locked (MNT_LOCK_NOEXEC): it cannot be removed.
#[derive(Clone)]
pub struct ScratchMounts {
    pub root: CString,
    /// (mount point inside `root`, tmpfs options).
    pub dirs: Vec<(CString, CString)>,
}

/// The pipes and fds of a started sandbox, supervisor side.
pub struct Started {
    pub child: Child,
    pub stdin: OwnedFd,
    pub stdout: OwnedFd,
    pub stderr: OwnedFd,
    /// Writing the release message here (and closing it) lets the bootstrap run the code.
    pub go: OwnedFd,
    /// The bootstrap writes one byte here just before the program starts (wall clock start).
    pub ready: OwnedFd,
}

fn check(result: libc::c_int) -> io::Result<()> {
    if result < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Runs in the forked child. Only raw syscalls on pre-built data: no allocation, no locks.
fn setup_launcher(setup: &LauncherSetup, parent: libc::pid_t) -> io::Result<()> {
    // SAFETY (all blocks below): each call is a raw, async-signal-safe syscall on C strings and
    // integers prepared before the fork; nothing allocates or takes a lock.
    for path in &setup.cgroup_procs {
        // SAFETY: see above.
        let fd = unsafe { libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC) };
        check(fd)?;
        // Writing "0" moves the writing process itself (v1 and v2 alike).
        // SAFETY: see above; the buffer is a static one-byte string.
        let written = unsafe { libc::write(fd, b"0".as_ptr().cast(), 1) };
        // SAFETY: see above.
        unsafe { libc::close(fd) };
        if written != 1 {
            return Err(io::Error::last_os_error());
        }
    }
    if setup.staging.is_some() || setup.scratch.is_some() {
        private_mount_namespace()?;
    }
    if let Some(staging) = &setup.staging {
        stage_interpreter(staging)?;
    }
    if let Some(scratch) = &setup.scratch {
        mount_scratch(scratch)?;
    }
    for &(resource, value) in &setup.rlimits {
        let limit = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: see above; `limit` lives on this stack frame.
        check(unsafe { libc::setrlimit(resource, &limit) })?;
    }
    if let Some(id) = setup.uid {
        // SAFETY: see above. Order matters: groups and gid while still root, then the uid.
        unsafe {
            check(libc::setgroups(0, std::ptr::null()))?;
            check(libc::setresgid(id, id, id))?;
            check(libc::setresuid(id, id, id))?;
        }
    }
    // SAFETY: see above.
    unsafe {
        check(libc::setsid())?;
        check(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))?;
        // Set after the uid change, which would clear it. It fires when the spawning thread
        // exits, which is why sandboxes are spawned from one long-lived thread.
        check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0))?;
        if libc::getppid() != parent {
            return Err(io::Error::from_raw_os_error(libc::ESRCH));
        }
        // This process stays behind as the reaper of everything below it (see `reap_all`);
        // its child goes on to exec bwrap.
        check(libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))?;
        let reaper = libc::getpid();
        let bwrap = libc::fork();
        check(bwrap)?;
        if bwrap > 0 {
            reap_all(bwrap);
        }
        check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0))?;
        if libc::getppid() != reaper {
            return Err(io::Error::from_raw_os_error(libc::ESRCH));
        }
        // Every inherited fd is closed at exec except the ones bwrap and the bootstrap read.
        check(libc::syscall(
            libc::SYS_close_range,
            3u32,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        ) as libc::c_int)?;
        for &fd in &setup.keep_fds {
            check(libc::fcntl(fd, libc::F_SETFD, 0))?;
        }
    }
    Ok(())
}

/// The launcher's last job: reap bwrap and, as child subreaper, bwrap's PID-1 reaper too, which
/// bwrap's monitor leaves behind when it exits first. Without this that zombie would go to the
/// host's init and stay charged to the slot's pids cgroup. It exits once nothing is left below
/// it (bwrap's PID 1 exits only after the kernel has killed and reaped its whole namespace), with
/// bwrap's status (a signal N as 128+N, bwrap's own convention).
fn reap_all(bwrap: libc::pid_t) -> ! {
    // SAFETY: raw async-signal-safe syscalls; this process never returns into Rust code.
    unsafe {
        // Holds no fd: in particular not std's exec-error pipe, whose EOF `spawn` waits for.
        libc::syscall(libc::SYS_close_range, 0u32, u32::MAX, 0u32);
        let mut bwrap_status = 0;
        loop {
            let mut status = 0;
            let pid = libc::waitpid(-1, &mut status, 0);
            if pid == bwrap {
                bwrap_status = status;
            } else if pid < 0 && *libc::__errno_location() != libc::EINTR {
                break;
            }
        }
        let code = if libc::WIFEXITED(bwrap_status) {
            libc::WEXITSTATUS(bwrap_status)
        } else {
            128 + libc::WTERMSIG(bwrap_status)
        };
        libc::_exit(code)
    }
}

/// A mount namespace of the launcher's own, for [`stage_interpreter`] and [`mount_scratch`].
fn private_mount_namespace() -> io::Result<()> {
    let none = std::ptr::null::<libc::c_char>();
    // SAFETY: raw syscalls on static C strings (see `setup_launcher`).
    unsafe {
        check(libc::unshare(libc::CLONE_NEWNS))?;
        // Load-bearing: without MS_PRIVATE the mounts that follow would propagate to the host.
        check(libc::mount(
            none,
            c"/".as_ptr(),
            none,
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        ))
    }
}

/// See [`ScratchMounts`]; runs in the launcher's private mount namespace.
fn mount_scratch(scratch: &ScratchMounts) -> io::Result<()> {
    let flags = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
    // SAFETY: raw syscalls on C strings prepared before the fork (see `setup_launcher`).
    unsafe {
        check(libc::mount(
            c"tmpfs".as_ptr(),
            scratch.root.as_ptr(),
            c"tmpfs".as_ptr(),
            flags,
            c"mode=0755,size=65536".as_ptr().cast(),
        ))?;
        for (dir, options) in &scratch.dirs {
            check(libc::mkdir(dir.as_ptr(), 0o755))?;
            check(libc::mount(
                c"tmpfs".as_ptr(),
                dir.as_ptr(),
                c"tmpfs".as_ptr(),
                flags,
                options.as_ptr().cast(),
            ))?;
        }
    }
    Ok(())
}

/// See [`Staging`]: in the launcher's private mount namespace.
fn stage_interpreter(staging: &StagingPaths) -> io::Result<()> {
    const OPEN_TREE_CLONE: libc::c_uint = 1;
    const AT_RECURSIVE: libc::c_uint = 0x8000;
    const MOVE_MOUNT_F_EMPTY_PATH: libc::c_uint = 0x4;
    // SAFETY: raw syscalls on pre-built C strings (see `setup_launcher`).
    unsafe {
        // A detached copy of the prefix, taken before its ancestor is covered. (A bind from an
        // fd opened earlier would fail: that fd belongs to the host's mount namespace.)
        let tree = libc::syscall(
            libc::SYS_open_tree,
            libc::AT_FDCWD,
            staging.target.as_ptr(),
            OPEN_TREE_CLONE | AT_RECURSIVE | libc::O_CLOEXEC as libc::c_uint,
        ) as libc::c_int;
        check(tree)?;
        check(libc::mount(
            c"tmpfs".as_ptr(),
            staging.hide.as_ptr(),
            c"tmpfs".as_ptr(),
            libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
            c"mode=0755,size=65536".as_ptr().cast(),
        ))?;
        for dir in &staging.create {
            check(libc::mkdir(dir.as_ptr(), 0o755))?;
        }
        let moved = libc::syscall(
            libc::SYS_move_mount,
            tree,
            c"".as_ptr(),
            libc::AT_FDCWD,
            staging.target.as_ptr(),
            MOVE_MOUNT_F_EMPTY_PATH,
        ) as libc::c_int;
        libc::close(tree);
        check(moved)?;
    }
    Ok(())
}

/// Starts bwrap with `args`; the child's stdin/stdout/stderr are new pipes.
pub fn start(
    bwrap: &Path,
    args: Vec<String>,
    setup: LauncherSetup,
    (go, ready): (OwnedFd, OwnedFd),
) -> Result<Started> {
    let (stdin_r, stdin_w) = crate::sys::pipe()?;
    let (stdout_r, stdout_w) = crate::sys::pipe()?;
    let (stderr_r, stderr_w) = crate::sys::pipe()?;
    let parent = std::process::id() as libc::pid_t;
    let mut command = Command::new(bwrap);
    command
        .args(args)
        .env_clear()
        .current_dir("/")
        .stdin(Stdio::from(stdin_r))
        .stdout(Stdio::from(stdout_w))
        .stderr(Stdio::from(stderr_w));
    // SAFETY: the closure only calls `setup_launcher`, which is async-signal-safe.
    unsafe {
        command.pre_exec(move || setup_launcher(&setup, parent));
    }
    let child = command.spawn().map_err(Error::Spawn)?;
    for fd in [&stdin_w, &stdout_r, &stderr_r, &ready] {
        crate::sys::set_nonblocking(fd.as_raw_fd())?;
    }
    Ok(Started {
        child,
        stdin: stdin_w,
        stdout: stdout_r,
        stderr: stderr_r,
        go,
        ready,
    })
}

/// The rlimits of a sandbox shaped for `shape`.
pub fn rlimits(
    shape: &Limits,
    with_cgroups: bool,
    switching_uid: bool,
) -> Vec<(libc::__rlimit_resource_t, u64)> {
    const MIB: u64 = 1024 * 1024;
    let cpu_backstop = (shape.wall_time.as_secs_f64() * shape.cpu_cores.max(1.0)).ceil() as u64 + 5;
    let mut limits = vec![
        (libc::RLIMIT_NOFILE, u64::from(shape.max_open_files)),
        (libc::RLIMIT_FSIZE, shape.max_file_size_bytes),
        (libc::RLIMIT_CORE, 0),
        (libc::RLIMIT_STACK, 8 * MIB),
        (libc::RLIMIT_MEMLOCK, 64 * 1024),
        (libc::RLIMIT_CPU, cpu_backstop),
    ];
    if !with_cgroups {
        // Weaker stand-ins for the memory and pids cgroups (see docs/sandbox.md).
        limits.push((libc::RLIMIT_AS, shape.memory_bytes));
        if switching_uid {
            limits.push((libc::RLIMIT_NPROC, u64::from(shape.max_processes) + 2));
        }
    }
    limits
}

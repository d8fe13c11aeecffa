//! Starting one sandbox: bubblewrap's arguments and the code that runs between fork and exec.
//!
//! The launcher (the child the fork server clones for each sandbox, still root: see
//! [`crate::forkserver`]) joins the slot's cgroups, stages an unreachable
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
        unix::ffi::OsStrExt,
    },
    path::Path,
};

use crate::{Limits, Result, forkserver::ForkServer, interpreter::Staging, sys};

/// Where the launcher finds its fds (see [`crate::forkserver`]): 0, 1 and 2 are the program's
/// stdin, stdout and stderr, then the bootstrap's fds, the compiled bootstrap, then the seccomp
/// programs.
pub const GO_FD: RawFd = 3;
pub const CODE_FD: RawFd = 4;
pub const READY_FD: RawFd = 5;
pub const OUT_FD: RawFd = 6;
/// Hard-coded in the `-c` that loads the bootstrap (`sandbox/bwrap.rs`).
pub const BOOTSTRAP_FD: RawFd = 7;
pub const FIRST_SECCOMP_FD: RawFd = 8;

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
    /// When the supervisor is root without CAP_SYS_ADMIN: the mounts are made in a user
    /// namespace of the launcher's own, with these maps (see [`IdMaps`]).
    pub own_userns: Option<IdMaps>,
}

/// The uid and gid maps of the launcher's own user namespace: the identity over every id of the
/// supervisor's namespace but 0 ([`crate::sys::identity_id_map`]), so the slot uid, file owners
/// and cgroup owners keep their meaning, while root maps to nothing (mapping it would take
/// CAP_SETFCAP, and nothing in the namespace needs to be root). In the shipped container images the supervisor is root without
/// CAP_SYS_ADMIN (the entrypoint drops it), which mounting tmpfs needs. A user namespace gives
/// the launcher CAP_SYS_ADMIN over a mount namespace of its own and over nothing else: not over
/// the host's or the container's mounts, devices, cgroups or any other process. The maps can
/// only be written by a process that holds CAP_SETUID and CAP_SETGID where the namespace was
/// made, so the launcher forks: the child makes the namespace and goes on to exec bwrap, the
/// parent writes the child's maps, then stays behind as the reaper (see [`setup_launcher`]).
/// Nothing the program can reach is more privileged than before: bwrap still runs as the slot
/// uid with no capabilities, and makes its own user namespace below this one.
#[derive(Clone)]
pub struct IdMaps {
    pub uid_map: CString,
    pub gid_map: CString,
}

/// [`Staging`] with every path pre-converted for use after fork.
#[derive(Clone)]
pub struct StagingPaths {
    pub(crate) hide: CString,
    pub(crate) create: Vec<CString>,
    pub(crate) target: CString,
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

/// A started launcher: a child of the supervisor (the fork server clones it with
/// `CLONE_PARENT`), so it is waited for, and its pidfd opened, like any child.
pub struct Launcher {
    pub(crate) pid: libc::pid_t,
}

impl Launcher {
    pub fn id(&self) -> u32 {
        self.pid as u32
    }

    /// Reaps the launcher, blocking until it has exited.
    pub fn wait(&mut self) -> Result<sys::Reaped> {
        sys::wait(self.pid)
    }
}

/// The pipes and fds of a started sandbox, supervisor side.
pub struct Started {
    pub child: Launcher,
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
pub(crate) fn setup_launcher(setup: &LauncherSetup, parent: libc::pid_t) -> io::Result<()> {
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
    // With a user namespace of its own, the launcher forks here: this process writes the
    // child's id maps and becomes the reaper; the child makes the mounts and execs bwrap.
    let own_reaper = match &setup.own_userns {
        Some(maps) => Some(enter_own_user_namespace(maps, setup.uid, parent)?),
        None => None,
    };
    // In its own user namespace the launcher's uid and gid 0 are not mapped (see [`IdMaps`]):
    // files it creates must belong to a mapped id, so it creates them as the slot uid.
    let fs_id = own_reaper.and(setup.uid);
    if setup.staging.is_some() || setup.scratch.is_some() {
        private_mount_namespace()?;
    }
    if let Some(staging) = &setup.staging {
        stage_interpreter(staging, fs_id)?;
    }
    if let Some(scratch) = &setup.scratch {
        if let Some(id) = fs_id {
            use_fs_id(id)?;
        }
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
        drop_to(id)?;
    }
    // SAFETY: see above.
    unsafe {
        if own_reaper.is_none() {
            // (With its own user namespace the reaper already made the session.)
            check(libc::setsid())?;
        }
        check(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))?;
        // Set after the uid change, which would clear it. It fires when the parent *thread*
        // exits: the launcher's parent is the supervisor thread that started the fork server
        // (`CLONE_PARENT`), which is why that is one long-lived thread.
        check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0))?;
        if libc::getppid() != own_reaper.unwrap_or(parent) {
            return Err(io::Error::from_raw_os_error(libc::ESRCH));
        }
        if own_reaper.is_none() {
            // This process stays behind as the reaper of everything below it (see
            // `reap_all`); its child goes on to exec bwrap.
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

/// Groups, gid, then uid: all to `id`, with no supplementary groups.
fn drop_to(id: u32) -> io::Result<()> {
    // SAFETY: raw async-signal-safe syscalls on integers. Order matters: groups and gid while
    // still privileged, then the uid.
    unsafe {
        check(libc::setgroups(0, std::ptr::null()))?;
        check(libc::setresgid(id, id, id))?;
        check(libc::setresuid(id, id, id))
    }
}

/// See [`IdMaps`]. Returns in the child, which is then root with every capability in a new user
/// namespace (and none outside it), with the pid of its parent, the reaper. The parent returns
/// only with an error: otherwise it writes the child's maps, drops to the slot uid like the
/// launcher it replaces and reaps. Async-signal-safe: raw syscalls on pre-built data and a path
/// formatted on the stack.
fn enter_own_user_namespace(
    maps: &IdMaps,
    slot_uid: Option<u32>,
    supervisor: libc::pid_t,
) -> io::Result<libc::pid_t> {
    let mut to_parent = [0; 2];
    let mut to_child = [0; 2];
    // SAFETY: raw syscalls on integers, stack buffers and C strings prepared before the fork.
    unsafe {
        check(libc::pipe2(to_parent.as_mut_ptr(), libc::O_CLOEXEC))?;
        check(libc::pipe2(to_child.as_mut_ptr(), libc::O_CLOEXEC))?;
        // The session and process group of the sandbox, as the usual path makes them.
        check(libc::setsid())?;
        // The child's orphans (bwrap's PID 1 among them) come here, as in the usual path.
        check(libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))?;
        let reaper = libc::getpid();
        let child = libc::fork();
        check(child)?;
        if child > 0 {
            libc::close(to_parent[1]);
            libc::close(to_child[0]);
            let mut byte = 0u8;
            if libc::read(to_parent[0], (&raw mut byte).cast(), 1) != 1 {
                libc::kill(child, libc::SIGKILL);
                return Err(io::Error::from_raw_os_error(libc::ECHILD));
            }
            if let Err(e) = write_id_maps(child, maps) {
                libc::kill(child, libc::SIGKILL);
                return Err(e);
            }
            if libc::write(to_child[1], (&raw const byte).cast(), 1) != 1 {
                libc::kill(child, libc::SIGKILL);
                return Err(io::Error::last_os_error());
            }
            if let Some(id) = slot_uid {
                drop_to(id)?;
            }
            check(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))?;
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0))?;
            if libc::getppid() != supervisor {
                libc::kill(child, libc::SIGKILL);
                return Err(io::Error::from_raw_os_error(libc::ESRCH));
            }
            reap_all(child);
        }
        // The child. A failure before the parent has answered must not be reported through
        // the exec-error pipe (the parent may report its own): it just exits.
        let fail = || -> ! { libc::_exit(127) };
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) < 0
            || libc::getppid() != reaper
        {
            fail();
        }
        libc::close(to_parent[0]);
        libc::close(to_child[1]);
        let mut byte = 1u8;
        if libc::unshare(libc::CLONE_NEWUSER) < 0
            || libc::write(to_parent[1], (&raw const byte).cast(), 1) != 1
            || libc::read(to_child[0], (&raw mut byte).cast(), 1) != 1
        {
            fail();
        }
        libc::close(to_parent[1]);
        libc::close(to_child[0]);
        Ok(reaper)
    }
}

/// Writes `/proc/<child>/uid_map` and `gid_map` (each in a single write, as the kernel wants).
fn write_id_maps(child: libc::pid_t, maps: &IdMaps) -> io::Result<()> {
    for (name, map) in [
        (&b"uid_map"[..], &maps.uid_map),
        (&b"gid_map"[..], &maps.gid_map),
    ] {
        let mut path = [0u8; 48];
        let path = proc_path(&mut path, child, name);
        // SAFETY: raw syscalls; `path` is NUL-terminated on this stack frame, `map` a C string.
        unsafe {
            let fd = libc::open(path.as_ptr().cast(), libc::O_WRONLY | libc::O_CLOEXEC);
            check(fd)?;
            let bytes = map.as_bytes();
            let written = libc::write(fd, bytes.as_ptr().cast(), bytes.len());
            libc::close(fd);
            if written != bytes.len() as isize {
                return Err(io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

/// `/proc/<pid>/<name>` with a NUL, formatted into `buf` without allocating.
fn proc_path<'a>(buf: &'a mut [u8; 48], pid: libc::pid_t, name: &[u8]) -> &'a [u8] {
    let mut digits = [0u8; 12];
    let mut n = pid.unsigned_abs();
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        buf[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    put(b"/proc/");
    for i in (0..len).rev() {
        put(&[digits[i]]);
    }
    put(b"/");
    put(name);
    put(b"\0");
    &buf[..at]
}

/// The launcher's last job: reap bwrap and, as child subreaper, bwrap's PID-1 reaper too, which
/// bwrap's monitor leaves behind when it exits first. Without this that zombie would go to the
/// host's init and stay charged to the slot's pids cgroup. It exits once nothing is left below
/// it (bwrap's PID 1 exits only after the kernel has killed and reaped its whole namespace), with
/// bwrap's status (a signal N as 128+N, bwrap's own convention).
fn reap_all(bwrap: libc::pid_t) -> ! {
    // SAFETY: raw async-signal-safe syscalls; this process never returns into Rust code.
    unsafe {
        // Holds no fd: in particular not the exec-error pipe, whose EOF the fork server waits for.
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

/// Creates files as `id` from now on (filesystem uid and gid), keeping the launcher's other
/// capabilities (CAP_SYS_ADMIN over its mount namespace among them).
fn use_fs_id(id: u32) -> io::Result<()> {
    // SAFETY: raw async-signal-safe syscalls on integers. setfs[ug]id report no error: the
    // value is read back (an id of -1 changes nothing and returns the current one).
    unsafe {
        libc::setfsgid(id);
        libc::setfsuid(id);
        if libc::setfsgid(u32::MAX) != id as libc::c_int
            || libc::setfsuid(u32::MAX) != id as libc::c_int
        {
            return Err(io::Error::from_raw_os_error(libc::EPERM));
        }
    }
    Ok(())
}

/// See [`Staging`]: in the launcher's private mount namespace. With `fs_id`, the prefix is
/// taken as the launcher's own uid, and the covering tmpfs made as `fs_id` ([`use_fs_id`]).
fn stage_interpreter(staging: &StagingPaths, fs_id: Option<u32>) -> io::Result<()> {
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
        if let Some(Err(e)) = fs_id.map(use_fs_id) {
            libc::close(tree);
            return Err(e);
        }
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

/// The fds a launcher gets besides its stdin, stdout and stderr (see [`GO_FD`] and the rest).
pub struct LaunchFds {
    pub go: OwnedFd,
    pub code: OwnedFd,
    pub ready: OwnedFd,
    pub out: OwnedFd,
    pub bootstrap: OwnedFd,
    pub seccomp: Vec<OwnedFd>,
}

/// Starts a launcher through `server` for `request` ([`crate::forkserver::wire::encode`]); the
/// sandbox's stdin/stdout/stderr are new pipes; `go` and `ready` are the supervisor's ends.
pub fn start(
    server: &mut ForkServer,
    request: &[u8],
    fds: LaunchFds,
    (go, ready): (OwnedFd, OwnedFd),
) -> Result<Started> {
    let (stdin_r, stdin_w) = sys::pipe()?;
    let (stdout_r, stdout_w) = sys::pipe()?;
    let (stderr_r, stderr_w) = sys::pipe()?;
    // In the order of their fixed numbers: 0, 1, 2, GO_FD, ..., BOOTSTRAP_FD, FIRST_SECCOMP_FD.
    let mut sent = vec![
        &stdin_r,
        &stdout_w,
        &stderr_w,
        &fds.go,
        &fds.code,
        &fds.ready,
        &fds.out,
        &fds.bootstrap,
    ];
    sent.extend(&fds.seccomp);
    let pid = server.launch(request, &sent)?;
    for fd in [&stdin_w, &stdout_r, &stderr_r, &ready] {
        sys::set_nonblocking(fd.as_raw_fd())?;
    }
    Ok(Started {
        child: Launcher { pid },
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

//! Thin wrappers over the raw system calls the supervisor needs, each with its safety argument.
//! Everything here runs in the supervisor; the code between fork and exec is in `launch`.

use std::{
    ffi::CStr,
    io,
    os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd},
    time::Duration,
};

use crate::{Error, Result};

/// An anonymous in-memory file (close-on-exec; the child gets a re-opened copy).
pub fn memfd(name: &CStr, sealable: bool) -> Result<OwnedFd> {
    let flags = libc::MFD_CLOEXEC | if sealable { libc::MFD_ALLOW_SEALING } else { 0 };
    // SAFETY: `name` is a valid NUL-terminated string; the returned fd is owned by us alone.
    let fd = unsafe { libc::memfd_create(name.as_ptr(), flags) };
    if fd < 0 {
        return Err(Error::sys("memfd_create"));
    }
    // SAFETY: `fd` was just returned by the kernel and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Forbids any further change of a memfd's content or size.
pub fn seal(fd: &OwnedFd) -> Result<()> {
    let seals = libc::F_SEAL_SEAL | libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE;
    // SAFETY: fcntl on an fd we own, with an integer argument.
    if unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_ADD_SEALS, seals) } < 0 {
        return Err(Error::sys("fcntl(F_ADD_SEALS)"));
    }
    Ok(())
}

/// A close-on-exec pipe: (read end, write end).
pub fn pipe() -> Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(Error::sys("pipe2"));
    }
    // SAFETY: both fds were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

pub fn set_nonblocking(fd: RawFd) -> Result<()> {
    // SAFETY: fcntl with F_GETFL/F_SETFL only reads and sets status flags of a valid fd.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(Error::sys("fcntl(O_NONBLOCK)"));
        }
    }
    Ok(())
}

/// A pidfd that becomes readable when `pid` exits.
pub fn pidfd_open(pid: i32) -> Result<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return Err(Error::sys("pidfd_open"));
    }
    // SAFETY: the fd was just created for us.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

/// Waits for readiness on `fds`; `None` waits forever. EINTR counts as "nothing ready".
pub fn poll(fds: &mut [libc::pollfd], timeout: Option<Duration>) -> Result<usize> {
    let ms = timeout.map_or(-1, |t| t.as_millis().min(i32::MAX as u128) as i32);
    // Round a sub-millisecond remainder up so the deadline is not spun on.
    let ms = if ms == 0 && timeout.is_some_and(|t| !t.is_zero()) {
        1
    } else {
        ms
    };
    // SAFETY: `fds` is a valid slice of pollfd structs for the duration of the call.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
    if n < 0 {
        let err = io::Error::last_os_error();
        if err.kind() == io::ErrorKind::Interrupted {
            return Ok(0);
        }
        return Err(Error::Sys {
            call: "poll",
            source: err,
        });
    }
    Ok(n as usize)
}

/// read(2) that reports EAGAIN as `Ok(None)`.
pub fn read(fd: RawFd, buf: &mut [u8]) -> io::Result<Option<usize>> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        let err = io::Error::last_os_error();
        return match err.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(None),
            _ => Err(err),
        };
    }
    Ok(Some(n as usize))
}

/// write(2) that reports EAGAIN as `Ok(0)`.
pub fn write(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for reads of `buf.len()` bytes.
    let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
    if n < 0 {
        let err = io::Error::last_os_error();
        return match err.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(0),
            _ => Err(err),
        };
    }
    Ok(n as usize)
}

pub fn kill(pid: i32, signal: i32) {
    // SAFETY: kill has no memory effects; a stale pid only yields ESRCH, which we ignore
    // because the process is then already gone.
    unsafe { libc::kill(pid, signal) };
}

/// How a direct child ended, with its resource usage (including waited-for descendants).
pub struct Reaped {
    pub status: i32,
    pub usage: libc::rusage,
}

/// Reaps `pid`, blocking until it has exited.
pub fn wait(pid: i32) -> Result<Reaped> {
    let mut status = 0;
    // SAFETY: rusage is plain old data; zeroes are a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            return Ok(Reaped { status, usage });
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(Error::Sys {
                call: "wait4",
                source: err,
            });
        }
    }
}

pub fn geteuid() -> u32 {
    // SAFETY: geteuid cannot fail and touches no memory.
    unsafe { libc::geteuid() }
}

/// Capability numbers of `linux/capability.h` that the sandbox asks about.
pub const CAP_SETGID: u32 = 6;
pub const CAP_SETUID: u32 = 7;
pub const CAP_SYS_ADMIN: u32 = 21;

/// Whether this process has capability `cap` in its effective set (from /proc/self/status).
pub fn has_cap(cap: u32) -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let hex = status.lines().find_map(|l| l.strip_prefix("CapEff:"))?;
            u64::from_str_radix(hex.trim(), 16).ok()
        })
        .is_some_and(|caps| caps & (1 << cap) != 0)
}

/// Whether this process has CAP_SYS_ADMIN in its effective set.
pub fn has_cap_sys_admin() -> bool {
    has_cap(CAP_SYS_ADMIN)
}

/// An identity mapping of every id this process's user namespace knows except 0, read from
/// `/proc/self/{uid,gid}_map` (`kind` is "uid" or "gid"): the content of the same file for a
/// child user namespace, so that every id keeps its meaning there. 0 is left out: mapping the
/// parent's root into a child namespace takes CAP_SETFCAP (Linux 5.12+), which the supervisor
/// in the container images does not hold.
pub fn identity_id_map(kind: &str) -> std::io::Result<String> {
    let own = std::fs::read_to_string(format!("/proc/self/{kind}_map"))?;
    let mut map = String::new();
    for line in own.lines() {
        let mut fields = line.split_whitespace();
        let (Some(first), Some(_), Some(count)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let (Ok(mut first), Ok(mut count)) = (first.parse::<u64>(), count.parse::<u64>()) else {
            continue;
        };
        if first == 0 {
            first = 1;
            count = count.saturating_sub(1);
        }
        if count > 0 {
            map.push_str(&format!("{first} {first} {count}\n"));
        }
    }
    if map.is_empty() {
        return Err(std::io::Error::other(format!(
            "/proc/self/{kind}_map is empty"
        )));
    }
    Ok(map)
}

/// The Landlock ABI version, or `None` when Landlock is unavailable.
pub fn landlock_abi() -> Option<i64> {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: with a NULL attr and size 0 this call only returns the ABI version.
    let abi = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<libc::c_void>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    (abi > 0).then_some(abi)
}

//! The launch fork server: a small process that starts every launcher, so that starting a
//! sandbox never forks the supervisor itself (a fork copies, then frees, the page tables of the
//! whole multi-threaded service: most of a launch's cost once the service has grown).
//!
//! It is the supervisor's own executable, re-exec'd (`/proc/self/exe`) with one environment
//! variable that a constructor of this crate ([`ENTER_IF_FORK_SERVER`]) looks for before `main`
//! runs; so it works in any binary that links this crate, test binaries included, and holds
//! nothing of the supervisor's memory (no configuration, no secret) nor its environment. It keeps
//! the supervisor's capabilities and no more: it lowers its own to the supervisor's at start.
//!
//! A request is one `SOCK_SEQPACKET` message ([`wire`]) with the launcher's fds as
//! `SCM_RIGHTS`; the fork server clones the launcher with `CLONE_PARENT`, so the launcher is the
//! supervisor's child exactly as before (waited for, pidfd, exit status, parent-death signal
//! from the supervisor's long-lived spawner thread), and answers with its pid. What the launcher
//! does then is unchanged (see `launch`). If the fork server is gone, the next launch starts a
//! new one; a launch it died during fails with [`Error::ForkServerGone`], never hangs.
//!
//! What it does not do: run anything but bwrap, keep anything between requests, or serve any
//! process but the supervisor that started it (its only channel is a socketpair).

use std::{
    ffi::CStr,
    os::fd::{FromRawFd, OwnedFd},
    process::{Child, Command, Stdio},
};

use crate::{Error, Result, sys};

mod serve;
#[cfg(test)]
mod tests;
pub mod wire;

pub use serve::FD_FLOOR;

/// The environment variable that makes a process linking this crate a fork server (value:
/// `pid:permitted:effective:inheritable`, the supervisor's pid and capability sets in hex). An
/// internal protocol between a supervisor and the process it starts, not configuration.
const MODE_VAR: &CStr = c"CODE_REMOTE_SANDBOX_FORK_SERVER";
/// The largest request (bwrap's arguments carry the bootstrap's source: a few KiB).
const MAX_REQUEST: usize = 1 << 20;
/// The most fds one request carries (stdin, stdout, stderr, four for the bootstrap, the seccomp
/// programs).
const MAX_FDS: usize = 32;

/// Runs before `main` in every binary linking this crate (an ELF constructor). It does nothing
/// unless [`MODE_VAR`] is set; then this process is a fork server and never reaches `main`.
#[used]
#[unsafe(link_section = ".init_array")]
static ENTER_IF_FORK_SERVER: extern "C" fn() = enter_if_fork_server;

extern "C" fn enter_if_fork_server() {
    // SAFETY: getenv before main: the process is single-threaded and nothing changes the
    // environment concurrently; the string is copied out at once.
    let value = unsafe {
        let value = libc::getenv(MODE_VAR.as_ptr());
        if value.is_null() {
            return;
        }
        CStr::from_ptr(value).to_string_lossy().into_owned()
    };
    let fields: Vec<&str> = value.split(':').collect();
    let parent = fields.first().and_then(|p| p.parse::<libc::pid_t>().ok());
    let caps: Option<Vec<u64>> = fields[1..]
        .iter()
        .map(|c| u64::from_str_radix(c, 16).ok())
        .collect();
    let started = match (parent, caps) {
        (Some(parent), Some(caps)) if caps.len() == 3 => become_fork_server(parent, &caps),
        _ => Err(std::io::Error::from_raw_os_error(libc::EINVAL)),
    };
    if let Err(e) = started {
        eprintln!("code-remote sandbox fork server: cannot start: {e}");
    }
    // SAFETY: leaving the process before main; nothing needs flushing.
    unsafe { libc::_exit(2) }
}

/// Start-up of the fork server: die with the supervisor, hold no more capabilities than it,
/// then serve requests on stdin (the socket).
fn become_fork_server(parent: libc::pid_t, caps: &[u64]) -> std::io::Result<()> {
    let check = |r: libc::c_int| match r {
        r if r < 0 => Err(std::io::Error::last_os_error()),
        _ => Ok(()),
    };
    // SAFETY: raw syscalls on integers, in a single-threaded process.
    unsafe {
        check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0))?;
        if libc::getppid() != parent {
            return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
        }
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        check(libc::sigprocmask(
            libc::SIG_SETMASK,
            &empty,
            std::ptr::null_mut(),
        ))?;
    }
    let mut own = capabilities()?;
    for (set, limit) in own.iter_mut().zip(caps) {
        *set &= limit;
    }
    set_capabilities(own)?;
    // SAFETY: fcntl and dup2 on the fds this process started with (0: the socket, 1: /dev/null).
    let socket = unsafe {
        let socket = libc::fcntl(0, libc::F_DUPFD_CLOEXEC, FD_FLOOR);
        check(socket)?;
        check(libc::dup2(1, 0))?;
        OwnedFd::from_raw_fd(socket)
    };
    serve::serve(socket, parent)
}

/// This thread's (permitted, effective, inheritable) capability sets.
fn capabilities() -> std::io::Result<[u64; 3]> {
    let mut header = CapHeader {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    let mut data = [CapData::default(); 2];
    // SAFETY: capget fills the two data structs version 3 asks for.
    let r = unsafe { libc::syscall(libc::SYS_capget, &raw mut header, data.as_mut_ptr()) };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let join = |low: u32, high: u32| u64::from(low) | (u64::from(high) << 32);
    Ok([
        join(data[0].permitted, data[1].permitted),
        join(data[0].effective, data[1].effective),
        join(data[0].inheritable, data[1].inheritable),
    ])
}

fn set_capabilities([permitted, effective, inheritable]: [u64; 3]) -> std::io::Result<()> {
    let mut header = CapHeader {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    let word = |set: u64, i: usize| (set >> (32 * i)) as u32;
    let data: [CapData; 2] = std::array::from_fn(|i| CapData {
        effective: word(effective, i),
        permitted: word(permitted, i),
        inheritable: word(inheritable, i),
    });
    // SAFETY: capset reads the header and the two data structs of version 3.
    let r = unsafe { libc::syscall(libc::SYS_capset, &raw mut header, data.as_ptr()) };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: libc::c_int,
}

#[derive(Clone, Copy, Default)]
#[repr(C)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// The supervisor's handle on its fork server, started on first use. Owned by the spawner
/// thread: the fork server's parent-death signal, and through `CLONE_PARENT` every launcher's,
/// is tied to the thread that started it.
#[derive(Default)]
pub struct ForkServer {
    running: Option<(Child, OwnedFd)>,
}

impl ForkServer {
    /// Starts a launcher for `request` with `fds` at 0, 1, 2, ...; returns its pid. The launcher
    /// is this process's child.
    pub fn launch(&mut self, request: &[u8], fds: &[&OwnedFd]) -> Result<libc::pid_t> {
        let mut sent = false;
        for _ in 0..2 {
            let socket = match &self.running {
                Some((_, socket)) => socket,
                None => &self.start()?.1,
            };
            if serve::send(socket, request, fds).is_ok() {
                sent = true;
                break;
            }
            // Gone since the last launch (it did not get this request): start a new one.
            self.stop();
        }
        let socket = match (&self.running, sent) {
            (Some((_, socket)), true) => socket,
            _ => return Err(Error::ForkServerGone),
        };
        let mut reply = [0u8; 8];
        let received = rustix::net::recv(socket, &mut reply, rustix::net::RecvFlags::empty());
        if !matches!(received, Ok((8, _))) {
            // It died during this launch; a launcher it may have started is the slot's to clean.
            self.stop();
            return Err(Error::ForkServerGone);
        }
        let pid = i32::from_le_bytes(reply[..4].try_into().expect("4 bytes"));
        let errno = i32::from_le_bytes(reply[4..].try_into().expect("4 bytes"));
        if errno != 0 {
            if pid > 0 {
                let _ = sys::wait(pid);
            }
            return Err(Error::Spawn(std::io::Error::from_raw_os_error(errno)));
        }
        Ok(pid)
    }

    /// The fork server's pid, if it is running.
    #[cfg(test)]
    fn pid(&self) -> Option<u32> {
        self.running.as_ref().map(|(child, _)| child.id())
    }

    fn start(&mut self) -> Result<&(Child, OwnedFd)> {
        // Load-bearing: a use of the constructor, so that the linker keeps it in every binary.
        std::hint::black_box(&ENTER_IF_FORK_SERVER);
        let failed = |source| Error::Sys {
            call: "start the fork server",
            source,
        };
        let (ours, theirs) = rustix::net::socketpair(
            rustix::net::AddressFamily::UNIX,
            rustix::net::SocketType::SEQPACKET,
            rustix::net::SocketFlags::CLOEXEC,
            None,
        )
        .map_err(|e| failed(e.into()))?;
        let [permitted, effective, inheritable] = capabilities().map_err(failed)?;
        let mode = format!(
            "{}:{permitted:x}:{effective:x}:{inheritable:x}",
            std::process::id()
        );
        // No pre_exec: std starts it with posix_spawn (vfork), which copies no page tables.
        let child = Command::new("/proc/self/exe")
            .env_clear()
            .env(MODE_VAR.to_str().expect("ASCII"), mode)
            .current_dir("/")
            .stdin(Stdio::from(theirs))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(failed)?;
        Ok(self.running.insert((child, ours)))
    }

    fn stop(&mut self) {
        if let Some((mut child, socket)) = self.running.take() {
            drop(socket);
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ForkServer {
    fn drop(&mut self) {
        self.stop();
    }
}

//! The fork server's side: a loop that receives one launch request at a time, clones the
//! launcher with `CLONE_PARENT` (so it is the supervisor's child, not ours), waits until it has
//! exec'd bwrap or failed, and answers with its pid and errno.
//!
//! This process is single-threaded and was exec'd fresh, so it may allocate between requests;
//! between the clone and the exec the child only makes raw syscalls (see `launch`).

use std::{
    io::{self, IoSlice, IoSliceMut},
    mem::MaybeUninit,
    os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd},
};

use rustix::net::{
    RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, ReturnFlags, SendFlags, recvmsg,
};

use super::{MAX_FDS, MAX_REQUEST, wire};
use crate::launch;

/// Every fd the fork server holds sits at or above this number, so that placing the launcher's
/// fds at 0, 1, 2, ... (all below it) in the child overwrites none of them.
pub const FD_FLOOR: RawFd = 100;

/// Serves requests on `socket` until the supervisor closes it (or dies: the parent-death signal
/// set at start-up). `parent` is the supervisor's pid.
pub fn serve(socket: OwnedFd, parent: libc::pid_t) -> ! {
    let mut buf = vec![0u8; MAX_REQUEST];
    loop {
        let mut space = [MaybeUninit::<u8>::uninit(); rustix::cmsg_space!(ScmRights(MAX_FDS))];
        let mut control = RecvAncillaryBuffer::new(&mut space);
        let received = match recvmsg(
            &socket,
            &mut [IoSliceMut::new(&mut buf)],
            &mut control,
            RecvFlags::CMSG_CLOEXEC,
        ) {
            Ok(received) => received,
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => exit(),
        };
        if received.bytes == 0 {
            // The supervisor closed its end (requests are never empty).
            exit();
        }
        let mut fds: Vec<OwnedFd> = Vec::new();
        for message in control.drain() {
            if let RecvAncillaryMessage::ScmRights(rights) = message {
                fds.extend(rights);
            }
        }
        let truncated = received
            .flags
            .intersects(ReturnFlags::TRUNC | ReturnFlags::CTRUNC);
        let answer = match wire::decode(&buf[..received.bytes]) {
            Some(request) if !truncated && (3..=MAX_FDS).contains(&fds.len()) => {
                launch_one(request, fds, parent)
            }
            _ => (0, libc::EINVAL),
        };
        let mut reply = [0u8; 8];
        reply[..4].copy_from_slice(&answer.0.to_le_bytes());
        reply[4..].copy_from_slice(&answer.1.to_le_bytes());
        if rustix::net::send(&socket, &reply, SendFlags::NOSIGNAL).is_err() {
            exit();
        }
    }
}

fn exit() -> ! {
    // SAFETY: ends this single-purpose process; it holds nothing that needs flushing.
    unsafe { libc::_exit(0) }
}

/// A copy of `fd` at or above [`FD_FLOOR`], close-on-exec.
fn above_floor(fd: &OwnedFd) -> io::Result<OwnedFd> {
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) on a valid fd returns a new fd owned by nobody else.
    let new = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, FD_FLOOR) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: see above.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

/// Starts one launcher: (its pid, 0) or (its pid or 0, errno). A launcher that failed after the
/// clone has exited; the supervisor, its parent, reaps it.
fn launch_one(request: wire::Request, fds: Vec<OwnedFd>, parent: libc::pid_t) -> (i32, i32) {
    let errno = |e: io::Error| e.raw_os_error().unwrap_or(libc::EIO);
    let high: Vec<OwnedFd> = match fds.iter().map(above_floor).collect() {
        Ok(high) => high,
        Err(e) => return (0, errno(e)),
    };
    drop(fds);
    let fds: Vec<RawFd> = high.iter().map(AsRawFd::as_raw_fd).collect();
    let mut setup = request.setup;
    setup.keep_fds = (3..fds.len() as RawFd).collect();
    let mut argv: Vec<*const libc::c_char> = vec![request.bwrap.as_ptr()];
    argv.extend(request.args.iter().map(|a| a.as_ptr()));
    argv.push(std::ptr::null());
    let envp: [*const libc::c_char; 1] = [std::ptr::null()];
    let (error_r, error_w) = match crate::sys::pipe() {
        Ok((r, w)) => match above_floor(&w) {
            Ok(w) => (r, w),
            Err(e) => return (0, errno(e)),
        },
        Err(_) => return (0, libc::EMFILE),
    };
    // SAFETY: a fork of this single-threaded process (the kernel's clone with CLONE_PARENT, which
    // glibc's fork cannot make). The child only makes raw syscalls on data built above and
    // leaves through execve or _exit.
    let pid = unsafe {
        libc::syscall(
            libc::SYS_clone,
            libc::CLONE_PARENT | libc::SIGCHLD,
            0usize,
            0usize,
            0usize,
            0usize,
        )
    } as libc::pid_t;
    if pid < 0 {
        return (0, errno(io::Error::last_os_error()));
    }
    if pid == 0 {
        child(&fds, &setup, parent, (&argv, &envp), error_w.as_raw_fd());
    }
    drop((error_w, high));
    let mut reported = [0u8; 4];
    let mut got = 0;
    while got < reported.len() {
        match crate::sys::read(error_r.as_raw_fd(), &mut reported[got..]) {
            Ok(Some(0)) | Err(_) => break,
            Ok(Some(n)) => got += n,
            Ok(None) => {}
        }
    }
    match got {
        // End of file without a word: bwrap was exec'd (the pipe is close-on-exec).
        0 => (pid, 0),
        4 => (pid, i32::from_ne_bytes(reported)),
        _ => (pid, libc::EIO),
    }
}

/// The launcher, between clone and exec: its fds to their fixed numbers, then the set-up of
/// `launch`, then bwrap. On failure it reports errno on `error` and exits.
fn child(
    fds: &[RawFd],
    setup: &launch::LauncherSetup,
    parent: libc::pid_t,
    (argv, envp): (&[*const libc::c_char], &[*const libc::c_char]),
    error: RawFd,
) -> ! {
    // SAFETY: raw async-signal-safe syscalls on integers and on pointers to data built before
    // the clone; this function never returns.
    unsafe {
        let fail = |code: i32| -> ! {
            let bytes = code.to_ne_bytes();
            libc::write(error, bytes.as_ptr().cast(), bytes.len());
            libc::_exit(127)
        };
        let last_errno = || *libc::__errno_location();
        // The supervisor ignores SIGPIPE (Rust's default); the program gets the usual default.
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        for (target, &fd) in fds.iter().enumerate() {
            // dup2 leaves the new fd without close-on-exec; the fork server's copies above
            // FD_FLOOR keep it and vanish at exec.
            if libc::dup2(fd, target as RawFd) < 0 {
                fail(last_errno());
            }
        }
        if libc::chdir(c"/".as_ptr()) < 0 {
            fail(last_errno());
        }
        if let Err(e) = launch::setup_launcher(setup, parent) {
            fail(e.raw_os_error().unwrap_or(libc::EIO));
        }
        libc::execve(argv[0], argv.as_ptr(), envp.as_ptr());
        fail(last_errno())
    }
}

/// Sends one request with its fds; the fork server's answer comes back on the same socket.
pub fn send(socket: &OwnedFd, request: &[u8], fds: &[&OwnedFd]) -> io::Result<()> {
    use rustix::net::{SendAncillaryBuffer, SendAncillaryMessage};
    let borrowed: Vec<_> = fds.iter().map(|fd| std::os::fd::AsFd::as_fd(*fd)).collect();
    let mut space = [MaybeUninit::<u8>::uninit(); rustix::cmsg_space!(ScmRights(MAX_FDS))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    if !control.push(SendAncillaryMessage::ScmRights(&borrowed)) {
        return Err(io::Error::from_raw_os_error(libc::E2BIG));
    }
    let sent = rustix::net::sendmsg(
        socket,
        &[IoSlice::new(request)],
        &mut control,
        SendFlags::NOSIGNAL,
    )?;
    if sent != request.len() {
        return Err(io::Error::from_raw_os_error(libc::EMSGSIZE));
    }
    Ok(())
}

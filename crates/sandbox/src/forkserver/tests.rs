//! The fork server alone: a launcher it starts is this process's child with the right stdio,
//! and a fork server that dies is replaced, or reported, never waited for.

use std::{
    ffi::CString,
    io::Read,
    os::fd::{AsRawFd, OwnedFd},
    path::{Path, PathBuf},
};

use super::{ForkServer, wire};
use crate::{Error, launch::LauncherSetup, sys};

/// A request that runs `script` with /bin/sh in place of bwrap, joining `cgroup_procs` (any
/// writable file: the launcher only opens and writes to it) and staying the supervisor's uid.
fn request(script: &str, cgroup_procs: &[&Path]) -> Vec<u8> {
    let setup = LauncherSetup {
        cgroup_procs: cgroup_procs
            .iter()
            .map(|p| CString::new(p.to_str().unwrap()).unwrap())
            .collect(),
        staging: None,
        scratch: None,
        rlimits: Vec::new(),
        uid: None,
        keep_fds: Vec::new(),
        own_userns: None,
    };
    let args = ["-c".to_string(), script.to_string()];
    wire::encode(Path::new("/bin/sh"), &args, &setup)
}

/// (stdin, stdout, stderr) for the launcher, and our end of its stdout.
fn stdio() -> ([OwnedFd; 3], OwnedFd) {
    let (stdin_r, _) = sys::pipe().unwrap();
    let (stdout_r, stdout_w) = sys::pipe().unwrap();
    let (_, stderr_w) = sys::pipe().unwrap();
    ([stdin_r, stdout_w, stderr_w], stdout_r)
}

fn launch(server: &mut ForkServer, request: &[u8]) -> (crate::Result<libc::pid_t>, OwnedFd) {
    let (theirs, stdout) = stdio();
    let fds: Vec<&OwnedFd> = theirs.iter().collect();
    (server.launch(request, &fds), stdout)
}

fn exit_code(pid: libc::pid_t) -> i32 {
    let status = sys::wait(pid).unwrap().status;
    assert!(libc::WIFEXITED(status), "status {status}");
    libc::WEXITSTATUS(status)
}

/// Kills `pid` and returns once it is dead (not reaped: its parent does that).
fn kill_and_see_die(pid: u32) {
    let pidfd = sys::pidfd_open(pid as i32).unwrap();
    sys::kill(pid as i32, libc::SIGKILL);
    let mut fds = [libc::pollfd {
        fd: pidfd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    }];
    while sys::poll(&mut fds, None).unwrap() == 0 {}
}

fn fifo(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let c = CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    path
}

#[test]
fn a_launcher_is_our_child_with_our_pipes_and_its_exit_status() {
    let mut server = ForkServer::default();
    let (pid, stdout) = launch(&mut server, &request("echo launched; exit 3", &[]));
    // Waitable here: CLONE_PARENT made it this process's child, not the fork server's.
    assert_eq!(exit_code(pid.unwrap()), 3);
    let mut out = String::new();
    std::fs::File::from(stdout)
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, "launched\n");
}

#[test]
fn a_launch_that_fails_before_exec_is_an_error_with_its_errno() {
    let mut server = ForkServer::default();
    let missing = Path::new("/nonexistent/cgroup.procs");
    let (result, _) = launch(&mut server, &request("exit 0", &[missing]));
    match result {
        Err(Error::Spawn(e)) => assert_eq!(e.raw_os_error(), Some(libc::ENOENT)),
        other => panic!("expected ENOENT, got {other:?}"),
    }
    // The fork server is still serving.
    assert_eq!(
        exit_code(launch(&mut server, &request("exit 0", &[])).0.unwrap()),
        0
    );
}

#[test]
fn a_fork_server_that_died_between_launches_is_replaced() {
    let mut server = ForkServer::default();
    assert_eq!(
        exit_code(launch(&mut server, &request("exit 0", &[])).0.unwrap()),
        0
    );
    let first = server.pid().unwrap();
    kill_and_see_die(first);
    assert_eq!(
        exit_code(launch(&mut server, &request("exit 4", &[])).0.unwrap()),
        4
    );
    assert_ne!(server.pid().unwrap(), first, "a new fork server");
}

#[test]
fn a_fork_server_that_dies_during_a_launch_is_an_error_not_a_hang() {
    let mut server = ForkServer::default();
    assert_eq!(
        exit_code(launch(&mut server, &request("exit 0", &[])).0.unwrap()),
        0
    );
    let fork_server = server.pid().unwrap();
    // The launcher opens both FIFOs for writing in turn, blocking until a reader comes: the
    // fork server is killed while the launcher waits on the second, before it can exec.
    let (first, second) = (fifo("code-remote-fs-a"), fifo("code-remote-fs-b"));
    let killer = {
        let (first, second) = (first.clone(), second.clone());
        std::thread::spawn(move || {
            let mut byte = Vec::new();
            std::fs::File::open(&first)
                .unwrap()
                .read_to_end(&mut byte)
                .unwrap();
            kill_and_see_die(fork_server);
            std::fs::File::open(&second)
                .unwrap()
                .read_to_end(&mut byte)
                .unwrap();
        })
    };
    let (result, _) = launch(&mut server, &request("exit 0", &[&first, &second]));
    killer.join().unwrap();
    assert!(
        matches!(result, Err(Error::ForkServerGone)),
        "expected ForkServerGone, got {result:?}"
    );
    assert_eq!(
        exit_code(launch(&mut server, &request("exit 5", &[])).0.unwrap()),
        5
    );
    let _ = (std::fs::remove_file(first), std::fs::remove_file(second));
}

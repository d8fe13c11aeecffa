//! Seccomp tests in the style of bubblewrap's `try-syscall`: each risky call is made under the
//! compiled policy with deliberately invalid pointers or fds, so an allowed call fails harmlessly
//! (EFAULT, EBADF, EINVAL) while a filtered one returns the policy's errno. They need no root.

use std::os::fd::AsRawFd;

use super::*;

/// A raw syscall: number and up to four arguments.
pub(super) type Call = (i64, [u64; 4]);

pub(super) const BAD_PTR: u64 = 8; // never mapped
pub(super) const BAD_FD: u64 = u64::MAX; // -1

/// Runs `calls` in a forked child under the policy; returns each call's errno (0 on success)
/// or, when the child died of a signal, `Err(signal)`.
fn under_policy(calls: &[Call]) -> std::result::Result<Vec<i32>, i32> {
    let programs = programs().expect("the policy compiles");
    let (read, write) = crate::sys::pipe().expect("pipe");
    // SAFETY: the child only makes raw syscalls and writes to a pipe before `_exit`; the
    // filters and calls were prepared before the fork.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        for program in &programs {
            if seccompiler::apply_filter(program).is_err() {
                // SAFETY: leaving the forked child immediately.
                unsafe { libc::_exit(100) };
            }
        }
        for &(nr, [a, b, c, d]) in calls {
            // SAFETY: every argument is an invalid pointer or fd, or a harmless value.
            let r = unsafe { libc::syscall(nr, a, b, c, d) };
            let errno: i32 = if r < 0 {
                // SAFETY: reading this thread's errno.
                unsafe { *libc::__errno_location() }
            } else {
                0
            };
            if r >= 0 && nr == libc::SYS_socket {
                // SAFETY: closing the socket this call just created.
                unsafe { libc::close(r as i32) };
            }
            // SAFETY: writing 4 bytes from a local to our pipe.
            unsafe { libc::write(write.as_raw_fd(), (&errno as *const i32).cast(), 4) };
        }
        // SAFETY: leaving the forked child without running destructors.
        unsafe { libc::_exit(0) };
    }
    drop(write);
    let mut bytes = Vec::new();
    let mut file = std::fs::File::from(read);
    std::io::Read::read_to_end(&mut file, &mut bytes).expect("read results");
    let mut status = 0;
    // SAFETY: reaping our own child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    if libc::WIFSIGNALED(status) {
        return Err(libc::WTERMSIG(status));
    }
    assert_eq!(
        libc::WEXITSTATUS(status),
        0,
        "the child could not load the policy"
    );
    Ok(bytes
        .chunks(4)
        .map(|c| i32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

pub(super) fn expect(cases: &[(&str, Call, i32)]) {
    let calls: Vec<Call> = cases.iter().map(|c| c.1).collect();
    let errnos = under_policy(&calls).expect("no call kills the process");
    let wrong: Vec<String> = cases
        .iter()
        .zip(&errnos)
        .filter(|((_, _, want), got)| *want != **got)
        .map(|((name, _, want), got)| format!("{name}: expected errno {want}, got {got}"))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn namespace_mount_keyring_and_tracing_calls_are_refused_with_eperm() {
    let ns = libc::CLONE_NEWNS as u64;
    expect(&[
        (
            "unshare(CLONE_NEWUSER)",
            (libc::SYS_unshare, [libc::CLONE_NEWUSER as u64, 0, 0, 0]),
            libc::EPERM,
        ),
        (
            "setns(-1)",
            (libc::SYS_setns, [BAD_FD, 0, 0, 0]),
            libc::EPERM,
        ),
        (
            "mount(bad pointers)",
            (libc::SYS_mount, [BAD_PTR, BAD_PTR, BAD_PTR, 0]),
            libc::EPERM,
        ),
        (
            "umount2(bad pointer)",
            (libc::SYS_umount2, [BAD_PTR, 0, 0, 0]),
            libc::EPERM,
        ),
        (
            "pivot_root(bad pointers)",
            (libc::SYS_pivot_root, [BAD_PTR, BAD_PTR, 0, 0]),
            libc::EPERM,
        ),
        (
            "chroot(bad pointer)",
            (libc::SYS_chroot, [BAD_PTR, 0, 0, 0]),
            libc::EPERM,
        ),
        (
            "add_key(bad pointers)",
            (libc::SYS_add_key, [BAD_PTR, BAD_PTR, BAD_PTR, 0]),
            libc::EPERM,
        ),
        ("keyctl", (libc::SYS_keyctl, [0, 0, 0, 0]), libc::EPERM),
        (
            "bpf(bad pointer)",
            (libc::SYS_bpf, [0, BAD_PTR, 0, 0]),
            libc::EPERM,
        ),
        (
            "perf_event_open(bad pointer)",
            (libc::SYS_perf_event_open, [BAD_PTR, 0, BAD_FD, BAD_FD]),
            libc::EPERM,
        ),
        (
            "userfaultfd",
            (libc::SYS_userfaultfd, [0, 0, 0, 0]),
            libc::EPERM,
        ),
        (
            "ptrace(PTRACE_ATTACH, 0)",
            (libc::SYS_ptrace, [16, 0, 0, 0]),
            libc::EPERM,
        ),
        (
            "process_vm_readv(bad pointers)",
            (libc::SYS_process_vm_readv, [1, BAD_PTR, 1, BAD_PTR]),
            libc::EPERM,
        ),
        (
            "open_by_handle_at(-1)",
            (libc::SYS_open_by_handle_at, [BAD_FD, BAD_PTR, 0, 0]),
            libc::EPERM,
        ),
        (
            "finit_module(-1)",
            (libc::SYS_finit_module, [BAD_FD, BAD_PTR, 0, 0]),
            libc::EPERM,
        ),
        // CLONE_NEWNS with CLONE_FS is invalid, so an unfiltered kernel would say EINVAL.
        (
            "clone(CLONE_NEWNS|CLONE_FS)",
            (libc::SYS_clone, [ns | libc::CLONE_FS as u64, 0, 0, 0]),
            libc::EPERM,
        ),
        (
            "personality(READ_IMPLIES_EXEC)",
            (libc::SYS_personality, [0x0040_0000, 0, 0, 0]),
            libc::EPERM,
        ),
        (
            "ioctl(-1, TIOCSTI)",
            (libc::SYS_ioctl, [BAD_FD, libc::TIOCSTI, BAD_PTR, 0]),
            libc::EPERM,
        ),
        (
            "ioctl(-1, TIOCSTI | high bits) CVE-2019-10063",
            (
                libc::SYS_ioctl,
                [BAD_FD, (0x123 << 32) | libc::TIOCSTI, BAD_PTR, 0],
            ),
            libc::EPERM,
        ),
        (
            "ioctl(-1, TIOCLINUX)",
            (libc::SYS_ioctl, [BAD_FD, libc::TIOCLINUX, BAD_PTR, 0]),
            libc::EPERM,
        ),
    ]);
}

#[test]
fn newer_interfaces_look_absent_with_enosys() {
    expect(&[
        (
            "clone3(bad pointer)",
            (libc::SYS_clone3, [BAD_PTR, 88, 0, 0]),
            libc::ENOSYS,
        ),
        (
            "io_uring_setup(bad pointer)",
            (libc::SYS_io_uring_setup, [8, BAD_PTR, 0, 0]),
            libc::ENOSYS,
        ),
        (
            "io_uring_enter(-1)",
            (libc::SYS_io_uring_enter, [BAD_FD, 0, 0, 0]),
            libc::ENOSYS,
        ),
        (
            "open_tree(-1)",
            (libc::SYS_open_tree, [BAD_FD, BAD_PTR, 0, 0]),
            libc::ENOSYS,
        ),
        (
            "fsopen(bad pointer)",
            (libc::SYS_fsopen, [BAD_PTR, 0, 0, 0]),
            libc::ENOSYS,
        ),
        (
            "mount_setattr(-1)",
            (libc::SYS_mount_setattr, [BAD_FD, BAD_PTR, 0, BAD_PTR]),
            libc::ENOSYS,
        ),
        (
            "first syscall after the reviewed range",
            ((HIGHEST_REVIEWED_SYSCALL + 1) as i64, [0; 4]),
            libc::ENOSYS,
        ),
        ("syscall 1000", (1000, [0; 4]), libc::ENOSYS),
        (
            "x32 getpid",
            (0x4000_0000 | libc::SYS_getpid, [0; 4]),
            libc::ENOSYS,
        ),
    ]);
}

#[test]
fn only_unix_and_ip_socket_families_are_allowed() {
    let stream = libc::SOCK_STREAM as u64;
    expect(&[
        (
            "socket(AF_VSOCK)",
            (libc::SYS_socket, [libc::AF_VSOCK as u64, stream, 0, 0]),
            libc::EAFNOSUPPORT,
        ),
        (
            "socket(AF_NETLINK)",
            (
                libc::SYS_socket,
                [libc::AF_NETLINK as u64, libc::SOCK_RAW as u64, 0, 0],
            ),
            libc::EAFNOSUPPORT,
        ),
        (
            "socket(AF_PACKET)",
            (
                libc::SYS_socket,
                [libc::AF_PACKET as u64, libc::SOCK_RAW as u64, 0, 0],
            ),
            libc::EAFNOSUPPORT,
        ),
        (
            "socket(AF_ALG)",
            (
                libc::SYS_socket,
                [libc::AF_ALG as u64, libc::SOCK_SEQPACKET as u64, 0, 0],
            ),
            libc::EAFNOSUPPORT,
        ),
        (
            "socketpair(AF_NETLINK)",
            (
                libc::SYS_socketpair,
                [libc::AF_NETLINK as u64, stream, 0, BAD_PTR],
            ),
            libc::EAFNOSUPPORT,
        ),
        (
            "socket(AF_INET) is allowed",
            (libc::SYS_socket, [libc::AF_INET as u64, stream, 0, 0]),
            0,
        ),
        (
            "socket(AF_UNIX) is allowed",
            (libc::SYS_socket, [libc::AF_UNIX as u64, stream, 0, 0]),
            0,
        ),
        (
            "socketpair(AF_UNIX, bad pointer) reaches the kernel",
            (
                libc::SYS_socketpair,
                [libc::AF_UNIX as u64, stream, 0, BAD_PTR],
            ),
            libc::EFAULT,
        ),
    ]);
}

#[test]
fn ordinary_calls_reach_the_kernel_unfiltered() {
    expect(&[
        (
            "read(-1)",
            (libc::SYS_read, [BAD_FD, BAD_PTR, 1, 0]),
            libc::EBADF,
        ),
        (
            "ioctl(-1, TCGETS)",
            (libc::SYS_ioctl, [BAD_FD, libc::TCGETS, BAD_PTR, 0]),
            libc::EBADF,
        ),
        (
            "personality(query)",
            (libc::SYS_personality, [0xffff_ffff, 0, 0, 0]),
            0,
        ),
        (
            "open(bad pointer)",
            (libc::SYS_open, [BAD_PTR, 0, 0, 0]),
            libc::EFAULT,
        ),
        (
            "mseal is the last reviewed call and reaches the kernel",
            (HIGHEST_REVIEWED_SYSCALL as i64, [0, 0, 0, 0]),
            0,
        ),
    ]);
}

#[test]
fn the_i386_syscall_abi_kills_the_process_with_sigsys() {
    let programs = programs().expect("the policy compiles");
    // SAFETY: the child loads the filters and issues one i386 syscall; it never returns.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        for program in &programs {
            let _ = seccompiler::apply_filter(program);
        }
        // SAFETY: `int 0x80` with eax=20 is i386 getpid; the filter must kill us first.
        unsafe { std::arch::asm!("int 0x80", inout("eax") 20u32 => _, options(nostack)) };
        // SAFETY: only reached if the filter let the call through.
        unsafe { libc::_exit(0) };
    }
    let mut status = 0;
    // SAFETY: reaping our own child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert!(libc::WIFSIGNALED(status), "the i386 call was allowed");
    assert_eq!(libc::WTERMSIG(status), libc::SIGSYS);
}

#[test]
fn every_program_checks_the_architecture_first() {
    for program in programs().expect("compiles") {
        // seccompiler's prologue: load arch, compare with x86_64, kill on mismatch.
        assert_eq!(program[0].k, 4, "loads seccomp_data.arch");
        assert_eq!(program[2].k, libc::SECCOMP_RET_KILL_PROCESS);
    }
    assert_eq!(Policy::compile().expect("compiles").programs.len(), 4);
}

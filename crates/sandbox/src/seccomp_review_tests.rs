//! Tests of what the December 2026 security review (S1, S2) added to the policy: the reviewed
//! syscall table, the calls refused like their siblings, and the IP socket protocol filter.

use seccompiler::sock_filter;

use super::{
    HIGHEST_REVIEWED_SYSCALL, enosys_program,
    tests::{BAD_FD, BAD_PTR, Call, expect},
};

/// Runs a classic BPF program (the subset seccompiler emits) on a `seccomp_data` holding only
/// `arch` and `nr`; returns its verdict. Lets a test check numbers the running kernel does not
/// implement or exempts from seccomp.
fn verdict(program: &[sock_filter], nr: u32) -> u32 {
    const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
    let mut data = [0u8; 64];
    data[0..4].copy_from_slice(&nr.to_ne_bytes());
    data[4..8].copy_from_slice(&AUDIT_ARCH_X86_64.to_ne_bytes());
    let (mut acc, mut pc) = (0u32, 0usize);
    loop {
        let insn = &program[pc];
        pc += 1;
        let k = insn.k;
        match insn.code {
            0x20 => {
                let at = k as usize;
                acc = u32::from_ne_bytes(data[at..at + 4].try_into().unwrap());
            }
            0x54 => acc &= k,         // ALU AND K
            0x05 => pc += k as usize, // JA
            0x06 => return k,         // RET K
            code @ (0x15 | 0x25 | 0x35 | 0x45) => {
                let taken = match code {
                    0x15 => acc == k,
                    0x25 => acc > k,
                    0x35 => acc >= k,
                    _ => acc & k != 0,
                };
                pc += usize::from(if taken { insn.jt } else { insn.jf });
            }
            code => panic!("instruction {code:#x} is not interpreted"),
        }
    }
}

#[test]
fn every_number_outside_the_reviewed_table_is_given_enosys_by_the_filter() {
    let enosys = libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32;
    let program = enosys_program().expect("compiles");
    let unreviewed = (335..=423).chain([463, 511, 0x4000_0000 | 1, 0x7fff_ffff, u32::MAX]);
    let allowed: Vec<u32> = unreviewed
        .filter(|&nr| verdict(&program, nr) != enosys)
        .collect();
    assert!(allowed.is_empty(), "not ENOSYS: {allowed:?}");
    for nr in [0, 1, 334, 424, 461, HIGHEST_REVIEWED_SYSCALL] {
        assert_eq!(verdict(&program, nr), libc::SECCOMP_RET_ALLOW, "nr {nr}");
    }
}

/// 335 (`uretprobe`) and 336 (`uprobe`) are left out: since Linux 6.14/6.17 the kernel runs them
/// without consulting seccomp at all (they are how uprobe trampolines return), so no filter can
/// refuse them. Outside a trampoline they only fail (SIGILL, ENXIO).
#[test]
fn unimplemented_numbers_in_the_gap_and_above_return_enosys() {
    let gap: Vec<(String, Call, i32)> = (337..=423)
        .chain([463, 500, 511, 0x3fff_ffff, 0x7fff_ffff])
        .map(|nr| (format!("syscall {nr}"), (nr, [0; 4]), libc::ENOSYS))
        .collect();
    let cases: Vec<(&str, Call, i32)> = gap.iter().map(|(n, c, e)| (n.as_str(), *c, *e)).collect();
    expect(&cases);
}

#[test]
fn the_edges_of_the_reviewed_table_reach_the_kernel() {
    expect(&[
        (
            "rseq (334) with a misaligned pointer",
            (libc::SYS_rseq, [BAD_PTR, 32, 0, 0]),
            libc::EINVAL,
        ),
        (
            "pidfd_send_signal (424) on fd -1",
            (libc::SYS_pidfd_send_signal, [BAD_FD, 0, 0, 0]),
            libc::EBADF,
        ),
    ]);
}

#[test]
fn calls_inconsistent_with_their_refused_siblings_are_refused_with_eperm() {
    let pid = std::process::id() as u64;
    expect(&[
        (
            "kcmp(self, self, KCMP_FILE)",
            (libc::SYS_kcmp, [pid, pid, 0, 0]),
            libc::EPERM,
        ),
        (
            "quotactl_fd(-1)",
            (libc::SYS_quotactl_fd, [BAD_FD, 0, 0, 0]),
            libc::EPERM,
        ),
        (
            "set_mempolicy_home_node(bad range)",
            (libc::SYS_set_mempolicy_home_node, [0, 4096, 0, 0]),
            libc::EPERM,
        ),
        ("lsm_set_self_attr", (460, [0, BAD_PTR, 0, 0]), libc::EPERM),
        ("sysfs(3)", (libc::SYS_sysfs, [3, 0, 0, 0]), libc::EPERM),
        (
            "ustat(bad pointer)",
            (libc::SYS_ustat, [0, BAD_PTR, 0, 0]),
            libc::EPERM,
        ),
        (
            "ioctl(-1, TIOCSETD)",
            (libc::SYS_ioctl, [BAD_FD, libc::TIOCSETD, BAD_PTR, 0]),
            libc::EPERM,
        ),
    ]);
}

#[test]
fn ip_sockets_are_limited_to_tcp_streams_and_udp_datagrams() {
    let socket = |family: i32, kind: i32, protocol: i32| {
        (
            libc::SYS_socket,
            [family as u64, kind as u64, protocol as u64, 0],
        )
    };
    let (inet, inet6) = (libc::AF_INET, libc::AF_INET6);
    let (stream, dgram) = (libc::SOCK_STREAM, libc::SOCK_DGRAM);
    let nonblocking_stream = stream | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    let no_protocol = libc::EPROTONOSUPPORT;
    expect(&[
        ("TCP", socket(inet, stream, 0), 0),
        ("TCP, explicit", socket(inet, stream, libc::IPPROTO_TCP), 0),
        ("TCP, flags", socket(inet, nonblocking_stream, 0), 0),
        ("TCP over IPv6", socket(inet6, stream, libc::IPPROTO_TCP), 0),
        ("UDP", socket(inet, dgram, 0), 0),
        ("UDP, explicit", socket(inet6, dgram, libc::IPPROTO_UDP), 0),
        (
            "MPTCP",
            socket(inet, stream, libc::IPPROTO_MPTCP),
            no_protocol,
        ),
        (
            "MPTCP over IPv6",
            socket(inet6, nonblocking_stream, libc::IPPROTO_MPTCP),
            no_protocol,
        ),
        (
            "UDP-Lite",
            socket(inet, dgram, libc::IPPROTO_UDPLITE),
            no_protocol,
        ),
        (
            "UDP-Lite over IPv6",
            socket(inet6, dgram, libc::IPPROTO_UDPLITE),
            no_protocol,
        ),
        (
            "SCTP stream",
            socket(inet, stream, libc::IPPROTO_SCTP),
            no_protocol,
        ),
        (
            "SCTP seqpacket",
            socket(inet, libc::SOCK_SEQPACKET, libc::IPPROTO_SCTP),
            no_protocol,
        ),
        (
            "DCCP",
            socket(inet, libc::SOCK_DCCP, libc::IPPROTO_DCCP),
            no_protocol,
        ),
        ("L2TP/IP", socket(inet, dgram, 115), no_protocol),
        (
            "SOCK_PACKET (10, obsolete)",
            socket(inet, 10, 0),
            no_protocol,
        ),
        (
            "raw",
            socket(inet, libc::SOCK_RAW, libc::IPPROTO_ICMP),
            libc::EPERM,
        ),
        (
            "raw over IPv6",
            socket(inet6, libc::SOCK_RAW, 0),
            libc::EPERM,
        ),
        (
            "ping socket",
            socket(inet, dgram, libc::IPPROTO_ICMP),
            libc::EACCES,
        ),
        (
            "socketpair MPTCP",
            (
                libc::SYS_socketpair,
                [
                    inet as u64,
                    stream as u64,
                    libc::IPPROTO_MPTCP as u64,
                    BAD_PTR,
                ],
            ),
            no_protocol,
        ),
        (
            "unix socketpair is not an IP family",
            (
                libc::SYS_socketpair,
                [libc::AF_UNIX as u64, dgram as u64, 0, BAD_PTR],
            ),
            libc::EFAULT,
        ),
    ]);
}

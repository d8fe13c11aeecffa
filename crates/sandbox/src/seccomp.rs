//! The seccomp policy (research/sandbox.md §5.4): four deny-list programs compiled once with
//! `seccompiler`, each with its own errno (ENOSYS, EPERM, EAFNOSUPPORT, EPROTONOSUPPORT) and
//! matching disjoint calls, stacked by bwrap (`--add-seccomp-fd`). The kernel runs
//! every program and applies the most severe result, so the order does not matter.
//!
//! Every program starts with seccompiler's architecture check, which kills the process
//! (SIGSYS) on any non-x86_64 call such as i386 `int 0x80`. The ENOSYS program additionally
//! returns ENOSYS for every syscall number outside the table this policy was reviewed against
//! ([`REVIEWED_SYSCALLS`]: the x32 range, the reserved gap 335..=423 and everything above 462),
//! so syscalls added by newer kernels are denied until someone reviews them.
//!
//! What this deliberately does not do: within the reviewed table it is a deny-list, not an
//! allow-list of what Python needs (see docs/sandbox.md).

use std::{collections::BTreeMap, ops::RangeInclusive};

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen as Len, SeccompCmpOp as Op,
    SeccompCondition as Cond, SeccompFilter, SeccompRule, TargetArch, sock_filter,
};

use crate::Result;

/// The x86_64 syscall numbers this policy was reviewed against (Linux 6.10): `read` (0) to `rseq`
/// (334) and `pidfd_send_signal` (424) to `mseal` (462). Every other number returns ENOSYS: the
/// x32 range, numbers above 462, and the gap 335..=423, which x86_64 left reserved until Linux
/// 6.11 started filling it (335 `uretprobe`, 336 `uprobe`). Load-bearing: extend a range only
/// after reviewing every call it adds (and adding the dangerous ones to a list below).
pub const REVIEWED_SYSCALLS: &[RangeInclusive<u32>] = &[0..=334, 424..=HIGHEST_REVIEWED_SYSCALL];

/// The highest x86_64 syscall number reviewed for this policy (462 = `mseal`, Linux 6.10).
pub const HIGHEST_REVIEWED_SYSCALL: u32 = 462;

/// `lsm_set_self_attr` (Linux 6.8); the `libc` crate does not name it yet.
const SYS_LSM_SET_SELF_ATTR: i64 = 460;

/// Made to look absent so libc falls back (clone3 → clone) or the feature is skipped.
const ENOSYS_CALLS: &[i64] = &[
    libc::SYS_clone3,
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_open_tree,
    libc::SYS_move_mount,
    libc::SYS_fsopen,
    libc::SYS_fsconfig,
    libc::SYS_fsmount,
    libc::SYS_fspick,
    libc::SYS_mount_setattr,
];

/// Refused outright.
const EPERM_CALLS: &[i64] = &[
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_bpf,
    libc::SYS_perf_event_open,
    libc::SYS_userfaultfd,
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_pidfd_getfd,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_syslog,
    libc::SYS_acct,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    libc::SYS_reboot,
    libc::SYS_quotactl,
    libc::SYS_modify_ldt,
    libc::SYS_uselib,
    libc::SYS_iopl,
    libc::SYS_ioperm,
    libc::SYS_vhangup,
    libc::SYS_name_to_handle_at,
    libc::SYS_open_by_handle_at,
    libc::SYS_mbind,
    libc::SYS_migrate_pages,
    libc::SYS_move_pages,
    libc::SYS_set_mempolicy,
    libc::SYS_fanotify_init,
    libc::SYS_lookup_dcookie,
    libc::SYS_memfd_secret,
    libc::SYS_process_madvise,
    libc::SYS_settimeofday,
    libc::SYS_clock_settime,
    libc::SYS_adjtimex,
    libc::SYS_clock_adjtime,
    // Inconsistent with their refused siblings if left open (security review S2): kcmp compares
    // kernel pointers of two processes, quotactl_fd is quotactl, set_mempolicy_home_node is
    // NUMA policy, lsm_set_self_attr changes LSM state; sysfs and ustat are obsolete.
    libc::SYS_kcmp,
    libc::SYS_quotactl_fd,
    libc::SYS_set_mempolicy_home_node,
    SYS_LSM_SET_SELF_ATTR,
    libc::SYS_sysfs,
    libc::SYS_ustat,
];

/// `clone` flags that create namespaces (CLONE_NEWTIME is 0x80 in the low byte).
const CLONE_NAMESPACE_FLAGS: &[u64] = &[
    libc::CLONE_NEWNS as u64,
    libc::CLONE_NEWCGROUP as u64,
    libc::CLONE_NEWUTS as u64,
    libc::CLONE_NEWIPC as u64,
    libc::CLONE_NEWUSER as u64,
    libc::CLONE_NEWPID as u64,
    libc::CLONE_NEWNET as u64,
    0x80, // CLONE_NEWTIME
];

/// Socket families a program may use; everything else gets EAFNOSUPPORT (vsock is not
/// network-namespaced; netlink and packet sockets are reconnaissance surface).
const ALLOWED_FAMILIES: &[u64] = &[
    libc::AF_UNIX as u64,
    libc::AF_INET as u64,
    libc::AF_INET6 as u64,
];

/// The socket types (`type & SOCK_TYPE_MASK`) of the IP families. Only TCP streams and UDP
/// datagrams are allowed; everything else in AF_INET/AF_INET6 (MPTCP, UDP-Lite, SCTP, DCCP,
/// L2TP/IP, …: each a kernel protocol with a history of local privilege escalations, some
/// autoloaded as modules on distro kernels) gets EPROTONOSUPPORT. Raw sockets get EPERM, and ICMP
/// datagram ("ping") sockets reach the kernel, which refuses them with EACCES: the sandbox's own
/// network namespace has the default `ping_group_range` "1 0", which it cannot change.
const SOCK_TYPE_MASK: u64 = 0xf;
const IP_FAMILIES: &[(u64, u64)] = &[
    (libc::AF_INET as u64, libc::IPPROTO_ICMP as u64),
    (libc::AF_INET6 as u64, libc::IPPROTO_ICMPV6 as u64),
];

/// The compiled programs, in the raw `struct sock_filter` byte layout bwrap reads.
pub struct Policy {
    pub programs: Vec<Vec<u8>>,
}

fn rule(conditions: Vec<Cond>) -> Result<SeccompRule> {
    Ok(SeccompRule::new(conditions)?)
}

fn cond(arg: u8, len: Len, op: Op, value: u64) -> Result<Cond> {
    Ok(Cond::new(arg, len, op, value)?)
}

fn compile(rules: BTreeMap<i64, Vec<SeccompRule>>, errno: i32) -> Result<BpfProgram> {
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(errno as u32),
        TargetArch::x86_64,
    )?;
    Ok(filter.try_into()?)
}

fn enosys_program() -> Result<BpfProgram> {
    let rules = ENOSYS_CALLS.iter().map(|&nr| (nr, vec![])).collect();
    let mut program = compile(rules, libc::ENOSYS)?;
    // Splice the unreviewed-number guard right after the architecture check (its first three
    // instructions). Jumps are relative and none crosses the splice point, except the arch
    // check's "skip the kill", which lands on our first instruction as intended.
    program.splice(3..3, unreviewed_guard());
    Ok(program)
}

/// "nr outside [`REVIEWED_SYSCALLS`] → ENOSYS": load the number, then one test per gap.
fn unreviewed_guard() -> Vec<sock_filter> {
    const BPF_LD_W_ABS: u16 = 0x20;
    const BPF_JMP_JGE_K: u16 = 0x05 | 0x30;
    const BPF_JMP_JGT_K: u16 = 0x05 | 0x20;
    const BPF_RET_K: u16 = 0x06;
    let insn = |code, jt, jf, k| sock_filter { code, jt, jf, k };
    let mut guard = vec![insn(BPF_LD_W_ABS, 0, 0, 0)]; // seccomp_data.nr
    let mut gaps = Vec::new();
    let mut next = 0u32;
    for range in REVIEWED_SYSCALLS {
        if *range.start() > next {
            gaps.push((next, range.start() - 1));
        }
        next = range.end() + 1;
    }
    gaps.push((next, u32::MAX));
    for (low, high) in gaps {
        guard.extend([
            // nr < low: not this gap, skip its other two instructions.
            insn(BPF_JMP_JGE_K, 0, 2, low),
            // nr > high: not this gap, skip the return.
            insn(BPF_JMP_JGT_K, 1, 0, high),
            insn(
                BPF_RET_K,
                0,
                0,
                libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32,
            ),
        ]);
    }
    guard
}

fn eperm_program() -> Result<BpfProgram> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> =
        EPERM_CALLS.iter().map(|&nr| (nr, vec![])).collect();
    let clone_rules = CLONE_NAMESPACE_FLAGS
        .iter()
        .map(|&flag| rule(vec![cond(0, Len::Qword, Op::MaskedEq(flag), flag)?]))
        .collect::<Result<Vec<_>>>()?;
    rules.insert(libc::SYS_clone, clone_rules);
    // Only the query value and PER_LINUX are allowed (no READ_IMPLIES_EXEC, no ADDR_NO_RANDOMIZE).
    rules.insert(
        libc::SYS_personality,
        vec![rule(vec![
            cond(0, Len::Dword, Op::Ne, 0)?,
            cond(0, Len::Dword, Op::Ne, 0xffff_ffff)?,
        ])?],
    );
    // The kernel truncates the ioctl command to 32 bits, so compare under that mask
    // (CVE-2019-10063: a 64-bit compare is bypassed by setting high bits).
    // TIOCSETD (line disciplines: n_hdlc, n_gsm) matters only if a tty were reachable; the
    // sandbox has no ptys, this is the second line.
    let tty_rules = [libc::TIOCSTI, libc::TIOCLINUX, libc::TIOCSETD]
        .iter()
        .map(|&cmd| rule(vec![cond(1, Len::Qword, Op::MaskedEq(0xffff_ffff), cmd)?]))
        .collect::<Result<Vec<_>>>()?;
    rules.insert(libc::SYS_ioctl, tty_rules);
    let raw = |family| {
        rule(vec![
            cond(0, Len::Dword, Op::Eq, family)?,
            cond(
                1,
                Len::Dword,
                Op::MaskedEq(SOCK_TYPE_MASK),
                libc::SOCK_RAW as u64,
            )?,
        ])
    };
    let raw_rules = || {
        IP_FAMILIES
            .iter()
            .map(|&(f, _)| raw(f))
            .collect::<Result<Vec<_>>>()
    };
    rules.insert(libc::SYS_socket, raw_rules()?);
    rules.insert(libc::SYS_socketpair, raw_rules()?);
    compile(rules, libc::EPERM)
}

/// `socket`/`socketpair` in an IP family with a type or protocol other than TCP stream, UDP
/// datagram, ICMP datagram (EACCES from the kernel) or raw (EPERM from the EPERM program).
fn protocol_program() -> Result<BpfProgram> {
    let (stream, dgram, raw) = (
        libc::SOCK_STREAM as u64,
        libc::SOCK_DGRAM as u64,
        libc::SOCK_RAW as u64,
    );
    let mut rules = Vec::new();
    for &(family, icmp) in IP_FAMILIES {
        let family = || cond(0, Len::Dword, Op::Eq, family);
        let kind = |t| cond(1, Len::Dword, Op::MaskedEq(SOCK_TYPE_MASK), t);
        let not_protocol = |p| cond(2, Len::Dword, Op::Ne, p);
        for other in (0..=SOCK_TYPE_MASK).filter(|t| ![stream, dgram, raw].contains(t)) {
            rules.push(rule(vec![family()?, kind(other)?])?);
        }
        let (tcp, udp) = (libc::IPPROTO_TCP as u64, libc::IPPROTO_UDP as u64);
        rules.push(rule(vec![
            family()?,
            kind(stream)?,
            not_protocol(0)?,
            not_protocol(tcp)?,
        ])?);
        rules.push(rule(vec![
            family()?,
            kind(dgram)?,
            not_protocol(0)?,
            not_protocol(udp)?,
            not_protocol(icmp)?,
        ])?);
    }
    let rules = BTreeMap::from([
        (libc::SYS_socket, rules.clone()),
        (libc::SYS_socketpair, rules),
    ]);
    compile(rules, libc::EPROTONOSUPPORT)
}

fn socket_program() -> Result<BpfProgram> {
    let family_rule = || {
        let conditions = ALLOWED_FAMILIES
            .iter()
            .map(|&family| cond(0, Len::Dword, Op::Ne, family))
            .collect::<Result<Vec<_>>>()?;
        rule(conditions)
    };
    let rules = BTreeMap::from([
        (libc::SYS_socket, vec![family_rule()?]),
        (libc::SYS_socketpair, vec![family_rule()?]),
    ]);
    compile(rules, libc::EAFNOSUPPORT)
}

fn to_bytes(program: &[sock_filter]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(program.len() * 8);
    for insn in program {
        bytes.extend_from_slice(&insn.code.to_ne_bytes());
        bytes.push(insn.jt);
        bytes.push(insn.jf);
        bytes.extend_from_slice(&insn.k.to_ne_bytes());
    }
    bytes
}

/// The raw programs (for tests that load them in-process).
pub(crate) fn programs() -> Result<Vec<BpfProgram>> {
    Ok(vec![
        enosys_program()?,
        eperm_program()?,
        socket_program()?,
        protocol_program()?,
    ])
}

impl Policy {
    /// Compiles the policy. Done once per [`crate::Sandbox`].
    pub fn compile() -> Result<Policy> {
        Ok(Policy {
            programs: programs()?.iter().map(|p| to_bytes(p)).collect(),
        })
    }
}

#[cfg(test)]
#[path = "seccomp_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "seccomp_review_tests.rs"]
mod review_tests;

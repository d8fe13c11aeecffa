//! The seccomp policy (research/sandbox.md §5.4): three deny-list programs compiled once with
//! `seccompiler`, each with its own errno, stacked by bwrap (`--add-seccomp-fd`). The kernel runs
//! every program and applies the most severe result, so the order does not matter.
//!
//! Every program starts with seccompiler's architecture check, which kills the process
//! (SIGSYS) on any non-x86_64 call such as i386 `int 0x80`. The ENOSYS program additionally
//! returns ENOSYS for every syscall number above the highest one this policy was reviewed
//! against (and for the x32 range), so syscalls added by newer kernels are denied by default.
//!
//! What this deliberately does not do: it is a deny-list, not an allow-list (see docs/sandbox.md).

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen as Len, SeccompCmpOp as Op,
    SeccompCondition as Cond, SeccompFilter, SeccompRule, TargetArch, sock_filter,
};

use crate::Result;

/// The highest x86_64 syscall number reviewed for this policy (462 = `mseal`, Linux 6.10).
pub const HIGHEST_REVIEWED_SYSCALL: u32 = 462;

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
    // Splice "nr > HIGHEST_REVIEWED_SYSCALL → ENOSYS" right after the architecture check (its
    // first three instructions). Jumps are relative and none crosses the splice point, except
    // the arch check's "skip the kill", which lands on our first instruction as intended.
    const BPF_LD_W_ABS: u16 = 0x20;
    const BPF_JMP_JGT_K: u16 = 0x05 | 0x20;
    const BPF_RET_K: u16 = 0x06;
    let splice = [
        sock_filter {
            code: BPF_LD_W_ABS,
            jt: 0,
            jf: 0,
            k: 0,
        }, // seccomp_data.nr
        sock_filter {
            code: BPF_JMP_JGT_K,
            jt: 0,
            jf: 1,
            k: HIGHEST_REVIEWED_SYSCALL,
        },
        sock_filter {
            code: BPF_RET_K,
            jt: 0,
            jf: 0,
            k: libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32,
        },
    ];
    program.splice(3..3, splice);
    Ok(program)
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
    let tty_rules = [libc::TIOCSTI, libc::TIOCLINUX]
        .iter()
        .map(|&cmd| rule(vec![cond(1, Len::Qword, Op::MaskedEq(0xffff_ffff), cmd)?]))
        .collect::<Result<Vec<_>>>()?;
    rules.insert(libc::SYS_ioctl, tty_rules);
    compile(rules, libc::EPERM)
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
    Ok(vec![enosys_program()?, eperm_program()?, socket_program()?])
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

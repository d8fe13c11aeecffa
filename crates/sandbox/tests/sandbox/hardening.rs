//! Hostile programs for the findings of the December 2026 security review (S1, S2, S4): each
//! reaches for kernel surface the sandbox now closes and prints what the kernel answered.

use code_remote_sandbox::Status;

use crate::helpers::{catalog_limits, program, run, sandbox, stderr, stdout};

/// Runs `code` in a fresh sandbox; `None` when the machine cannot run one (the reason is
/// printed, or the test fails under CODE_REMOTE_REQUIRE_SANDBOX=1).
fn run_hostile(code: &str) -> Option<String> {
    let sandbox = sandbox(1)?;
    let outcome = run(&sandbox, program(code, catalog_limits()));
    assert_eq!(
        outcome.status,
        Status::Succeeded,
        "stdout={:?} stderr={:?}",
        stdout(&outcome),
        stderr(&outcome)
    );
    Some(stdout(&outcome))
}

/// Python that prints `name errno-name` for each raw syscall in `CALLS`.
const SYSCALLS: &str = r#"
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
for name, nr, args in CALLS:
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    print(name, 'OK' if r >= 0 else errno.errorcode[ctypes.get_errno()])
"#;

#[test]
fn kcmp_quotactl_fd_and_other_siblings_of_refused_calls_are_refused() {
    let code = format!(
        "import os\npid = os.getpid()\nCALLS = [('kcmp', 312, [pid, pid, 0, 0, 0]), \
         ('sysfs', 139, [3]), ('ustat', 136, [0, 0]), ('quotactl_fd', 443, [0, 0, 0, 0]), \
         ('set_mempolicy_home_node', 450, [0, 4096, 0, 0]), \
         ('lsm_set_self_attr', 460, [0, 0, 0, 0])]\n{SYSCALLS}"
    );
    let Some(out) = run_hostile(&code) else {
        return;
    };
    assert_eq!(
        out,
        "kcmp EPERM\nsysfs EPERM\nustat EPERM\nquotactl_fd EPERM\n\
         set_mempolicy_home_node EPERM\nlsm_set_self_attr EPERM\n"
    );
}

#[test]
fn ip_sockets_other_than_tcp_and_udp_are_refused() {
    let code = r#"
import errno, socket
cases = [
    ('tcp', socket.AF_INET, socket.SOCK_STREAM, 0),
    ('udp6', socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP),
    ('mptcp', socket.AF_INET, socket.SOCK_STREAM, 262),
    ('mptcp6', socket.AF_INET6, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 262),
    ('udplite', socket.AF_INET, socket.SOCK_DGRAM, 136),
    ('sctp', socket.AF_INET, socket.SOCK_SEQPACKET, 132),
    ('raw', socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP),
]
for name, family, kind, protocol in cases:
    try:
        socket.socket(family, kind, protocol).close()
        print(name, 'opened')
    except OSError as e:
        print(name, errno.errorcode[e.errno])
"#;
    let Some(out) = run_hostile(code) else { return };
    assert_eq!(
        out,
        "tcp opened\nudp6 opened\nmptcp EPROTONOSUPPORT\nmptcp6 EPROTONOSUPPORT\n\
         udplite EPROTONOSUPPORT\nsctp EPROTONOSUPPORT\nraw EPERM\n"
    );
}

#[test]
fn there_are_no_ptys_and_dev_holds_only_harmless_devices() {
    let code = r#"
import os
print(sorted(os.listdir('/dev')))
print(os.path.exists('/dev/ptmx'), os.path.exists('/dev/pts'), os.path.exists('/dev/tty'))
for attempt in (os.openpty, lambda: open('/dev/planted', 'w')):
    try:
        attempt()
        print('allowed')
    except OSError as e:
        print(type(e).__name__, e.errno)
with open('/dev/null', 'w') as null, open('/dev/urandom', 'rb') as random:
    null.write('x')
    print(len(random.read(4)))
"#;
    let Some(out) = run_hostile(code) else { return };
    assert_eq!(
        out,
        "['fd', 'full', 'null', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'urandom', 'zero']\n\
         False False False\nFileNotFoundError 2\nOSError 30\n4\n"
    );
}

#[test]
fn the_root_directory_is_read_only() {
    let code = r#"
import os
for attempt in (lambda: open('/planted', 'w'), lambda: os.mkdir('/newdir'), lambda: os.symlink('/usr/bin/true', '/true')):
    try:
        attempt()
        print('written')
    except OSError as e:
        print(e.errno)
with open('/box/ok', 'w') as f:
    print(f.write('still writable'))
"#;
    let Some(out) = run_hostile(code) else { return };
    assert_eq!(out, "30\n30\n30\n14\n");
}

#[test]
fn programs_written_to_the_writable_directories_cannot_be_executed() {
    let code = r#"
import mmap, os, shutil, subprocess
for d in ('/box', '/tmp', '/dev/shm'):
    path = os.path.join(d, 'true')
    shutil.copy('/usr/bin/true', path)
    os.chmod(path, 0o755)
    try:
        subprocess.run([path])
        print(d, 'executed')
    except OSError as e:
        print(d, type(e).__name__, e.errno)
    with open(path, 'rb') as f:
        try:
            mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ | mmap.PROT_EXEC)
            print(d, 'mapped executable')
        except OSError as e:
            print(d, 'mmap', e.errno)
"#;
    let Some(out) = run_hostile(code) else { return };
    assert_eq!(
        out,
        "/box PermissionError 13\n/box mmap 1\n/tmp PermissionError 13\n/tmp mmap 1\n\
         /dev/shm PermissionError 13\n/dev/shm mmap 1\n"
    );
}

# Cases from the security review of December 2026 that probe the sandbox itself (see catalog.py
# for the format). Only this catalog has them; expectations.rs lists them as own-only.

# Shared by the syscall cases: `call(label, number, *args)` prints one line.
_CALL = r"""import ctypes, os
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
def call(label, number, *args):
    ctypes.set_errno(0)
    result = _libc.syscall(ctypes.c_long(number), *args)
    print(label, result, os.strerror(ctypes.get_errno()), flush=True)
"""

CASES = [
("R-01", "root mount", "nothing can be created in / (so nothing there can be run): the root is mounted read-only",
r"""import os
attempts = (
    ('file', lambda: os.close(os.open('/planted', os.O_CREAT | os.O_WRONLY, 0o755))),
    ('dir', lambda: os.mkdir('/planted')),
    ('symlink', lambda: os.symlink('/usr/bin/env', '/planted')),
    ('rename', lambda: os.rename('/box', '/planted')),
)
for label, attempt in attempts:
    try:
        attempt()
        print(label, 'created BAD')
    except OSError as e:
        print(label, e.strerror)
with open('/proc/self/mountinfo') as f:
    root = [line.split() for line in f if line.split()[4] == '/'][-1]
print('root mount', root[5].split(',')[0])
"""),
# 335 (uretprobe) and 336 (uprobe) are passed through seccomp by the kernel itself (since 6.14
# and 6.17), so no filter can answer them; called from anywhere but the kernel's trampoline,
# they kill the caller. The case checks that too, in children.
("R-02", "unreviewed syscall numbers", "every number outside the reviewed table, and every x32 call, gets ENOSYS; uretprobe/uprobe only kill their caller",
_CALL + r"""import signal
for number in (335, 336):
    child = os.fork()
    if child == 0:
        call(number, number, 0, 0, 0, 0, 0, 0)
        os._exit(0)
    status = os.waitpid(child, 0)[1]
    if os.WIFSIGNALED(status):
        print(number, 'killed by', signal.Signals(os.WTERMSIG(status)).name, flush=True)
for number in (337, 380, 423, 463, 470, 512, 1000, 0x40000000 | 39):
    call(hex(number), number, 0, 0, 0, 0, 0, 0)
"""),
("R-03", "namespaces and the mount API", "unshare/setns/clone with namespace flags/pivot_root get EPERM; the new mount API gets ENOSYS",
_CALL + r"""SIGCHLD = 17
call('unshare(NEWNS)', 272, ctypes.c_ulong(0x00020000))
call('unshare(NEWNET)', 272, ctypes.c_ulong(0x40000000))
call('setns', 308, ctypes.c_int(0), ctypes.c_int(0))
call('clone(NEWUSER)', 56, ctypes.c_ulong(0x10000000 | SIGCHLD), None, None, None, ctypes.c_ulong(0))
call('clone(NEWPID)', 56, ctypes.c_ulong(0x20000000 | SIGCHLD), None, None, None, ctypes.c_ulong(0))
call('pivot_root', 155, b'/box', b'/box')
call('umount2', 166, b'/box', ctypes.c_int(2))
call('clone3', 435, None, ctypes.c_size_t(0))
call('open_tree', 428, ctypes.c_int(-100), b'/', ctypes.c_uint(1))
call('move_mount', 429, ctypes.c_int(-100), b'/box', ctypes.c_int(-100), b'/tmp', ctypes.c_uint(0))
call('fsopen', 430, b'tmpfs', ctypes.c_uint(0))
call('fsconfig', 431, ctypes.c_int(-1), ctypes.c_uint(0), None, None, ctypes.c_int(0))
call('fsmount', 432, ctypes.c_int(-1), ctypes.c_uint(0), ctypes.c_uint(0))
call('fspick', 433, ctypes.c_int(-100), b'/', ctypes.c_uint(0))
call('mount_setattr', 442, ctypes.c_int(-100), b'/', ctypes.c_uint(0), None, ctypes.c_size_t(0))
"""),
("R-04", "inherited file descriptors", "only 0, 1 and 2 are open when user code starts",
r"""import os
open_fds = []
for fd in range(4096):
    try:
        os.fstat(fd)
    except OSError:
        continue
    open_fds.append(fd)
print(open_fds)
"""),
("R-05", "user namespace maps", "the uid and gid maps hold one id each and setgroups is denied",
r"""import os
for name in ('uid_map', 'gid_map'):
    with open('/proc/self/' + name) as f:
        rows = [line.split() for line in f if line.strip()]
    print(name, len(rows), ' '.join(row[2] for row in rows))
with open('/proc/self/setgroups') as f:
    print('setgroups', f.read().strip())
try:
    os.setgroups([])
    print('setgroups call succeeded BAD')
except OSError as e:
    print('setgroups call', e.strerror)
"""),
("R-06", "socket families", "every family but unix, inet and inet6 is refused with EAFNOSUPPORT",
r"""import errno, socket
allowed = {socket.AF_UNIX: 'unix', socket.AF_INET: 'inet', socket.AF_INET6: 'inet6'}
refused = 0
for family in range(64):
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.SOCK_RAW):
        try:
            socket.socket(family, kind).close()
            opened = True
        except OSError as e:
            opened = False
            if e.errno != errno.EAFNOSUPPORT and family not in allowed:
                print(family, kind, 'refused with', e)
        if family not in allowed:
            refused += not opened
        elif kind != socket.SOCK_RAW and not opened:
            print(allowed[family], kind, 'does not open BAD')
print('refused', refused, 'of', 61 * 3)
"""),
]

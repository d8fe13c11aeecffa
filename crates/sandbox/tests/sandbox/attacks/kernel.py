# Kernel attack-surface cases (see catalog.py for the format). Most call a syscall by number
# through libc and print "NAME RESULT STRERROR" per call, so the expectation can check each line.

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
("K-01", "userns nesting", "unshare(CLONE_NEWUSER) refused with EPERM",
_CALL + r"""call('unshare', 272, ctypes.c_ulong(0x10000000))
"""),
("K-02", "userns nesting/binary", "unshare -r fails: Operation not permitted",
r"""import subprocess
done = subprocess.run(['unshare', '--user', '--map-root-user', 'true'], capture_output=True, text=True)
print(done.returncode, done.stderr.strip())
"""),
("K-03", "mount", "mount(2) refused with EPERM",
_CALL + r"""call('mount', 165, b'proc', b'/box', b'proc', ctypes.c_ulong(0), None)
"""),
("K-04", "keyctl", "add_key refused with EPERM (keyrings are not namespaced)",
_CALL + r"""call('add_key', 248, b'user', b'probe', b'payload', ctypes.c_size_t(7), ctypes.c_int(-3))
"""),
("K-05", "bpf", "bpf(2) refused with EPERM",
_CALL + r"""attr = ctypes.create_string_buffer(128)
call('bpf', 321, ctypes.c_int(0), attr, ctypes.c_uint(128))
"""),
("K-06", "perf_event_open", "perf_event_open refused with EPERM",
_CALL + r"""attr = ctypes.create_string_buffer(128)
call('perf_event_open', 298, attr, ctypes.c_int(0), ctypes.c_int(-1), ctypes.c_int(-1), ctypes.c_ulong(0))
"""),
("K-07", "userfaultfd", "userfaultfd refused with EPERM",
_CALL + r"""call('userfaultfd', 323, ctypes.c_int(os.O_CLOEXEC))
"""),
("K-08", "io_uring", "io_uring_setup looks absent: ENOSYS",
r"""import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
params = ctypes.create_string_buffer(120)
result = libc.syscall(ctypes.c_long(425), ctypes.c_uint(4), params)
print(result, os.strerror(ctypes.get_errno()))
"""),
("K-09", "ptrace", "attaching to a sibling process refused with EPERM",
_CALL + r"""import signal, time
child = os.fork()
if child == 0:
    time.sleep(30)
    os._exit(0)
call('ptrace', 101, ctypes.c_long(16), ctypes.c_long(child), None, None)
os.kill(child, signal.SIGKILL)
os.waitpid(child, 0)
"""),
("K-10", "process_vm_readv", "process_vm_readv refused with EPERM",
_CALL + r"""buf = ctypes.create_string_buffer(8)
call('process_vm_readv', 310, ctypes.c_int(1), None, ctypes.c_ulong(0), None, ctypes.c_ulong(0), ctypes.c_ulong(0))
"""),
("K-11", "TIOCSTI", "ioctl(TIOCSTI) refused with EPERM, also with high bits set in the request",
_CALL + r"""for request in (0x5412, 0xdead00005412):
    call('ioctl %#x' % request, 16, ctypes.c_int(0), ctypes.c_ulong(request), b'x')
"""),
("K-12", "32-bit syscall ABI", "int 0x80 kills the process with SIGSYS",
r"""import ctypes, mmap
code = bytes([0xb8, 0x14, 0, 0, 0, 0xcd, 0x80, 0xc3])  # mov eax, 20 (i386 getpid); int 0x80; ret
page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
page.write(code)
address = ctypes.addressof(ctypes.c_char.from_buffer(page))
print('i386 getpid returned', ctypes.CFUNCTYPE(ctypes.c_int)(address)())
"""),
("K-13", "open_by_handle_at", "open_by_handle_at refused with EPERM",
_CALL + r"""handle = ctypes.create_string_buffer(128)
call('open_by_handle_at', 304, ctypes.c_int(-100), handle, ctypes.c_int(0))
"""),
("K-14", "personality", "personality(READ_IMPLIES_EXEC) refused with EPERM",
_CALL + r"""call('personality', 135, ctypes.c_ulong(0x0400000))
"""),
("K-15", "chroot", "PermissionError from chroot",
r"""import os
os.chroot('/box')
"""),
("K-16", "setuid", "becoming root fails with EPERM or EINVAL",
r"""import os
os.setresuid(0, 0, 0)
"""),
("K-17", "capabilities/no_new_privs/seccomp", "every capability set is empty, NoNewPrivs 1, Seccomp 2",
r"""with open('/proc/self/status') as f:
    for line in f:
        if line.split(':')[0] in ('Uid', 'Gid', 'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp'):
            print(line, end='')
"""),
("K-18", "kernel modules", "init_module refused with EPERM",
_CALL + r"""image = ctypes.create_string_buffer(64)
call('init_module', 175, image, ctypes.c_ulong(64), b'')
"""),
("K-19", "hostname/uts", "PermissionError from sethostname",
r"""import socket
socket.sethostname('owned-by-job')
"""),
]

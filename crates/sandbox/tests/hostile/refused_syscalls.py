# Security review S1: siblings of the refused system calls, each called raw; prints the errno.
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
pid = os.getpid()
CALLS = [
    ('kcmp', 312, [pid, pid, 0, 0, 0]),
    ('sysfs', 139, [3]),
    ('ustat', 136, [0, 0]),
    ('quotactl_fd', 443, [0, 0, 0, 0]),
    ('set_mempolicy_home_node', 450, [0, 4096, 0, 0]),
    ('lsm_set_self_attr', 460, [0, 0, 0, 0]),
]
for name, nr, args in CALLS:
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    print(name, 'OK' if r >= 0 else errno.errorcode[ctypes.get_errno()])

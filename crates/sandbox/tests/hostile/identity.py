# What a run is, as seen from inside: an unprivileged slot uid with no capabilities and
# no_new_privs, alone in its PID namespace, no secret of the host in its environment, and unable
# to nest a user namespace, mount, or raise its uid.
import ctypes, errno, os
status = dict(line.split(':\t', 1) for line in open('/proc/self/status').read().splitlines())
uids = {int(u) for u in status['Uid'].split()}
print('slot uid', len(uids) == 1 and min(uids) >= 60000)
print('capabilities', status['CapEff'].strip(), status['CapPrm'].strip(), status['CapBnd'].strip())
print('no_new_privs', status['NoNewPrivs'].strip(), 'seccomp', status['Seccomp'].strip())
print('processes', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()) == sorted({1, os.getpid()}))
secret = [k for k in os.environ if any(w in k.upper() for w in ('DATABASE', 'JWT', 'KEY', 'CODE_REMOTE', 'TOKEN', 'PASSWORD'))]
print('secrets in environment', secret)
libc = ctypes.CDLL(None, use_errno=True)
for name, call in (
    ('unshare user', lambda: libc.unshare(0x10000000)),
    ('mount tmpfs', lambda: libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)),
    ('setuid 0', lambda: libc.setuid(0)),
):
    r = call()
    print(name, 'OK' if r == 0 else errno.errorcode[ctypes.get_errno()])

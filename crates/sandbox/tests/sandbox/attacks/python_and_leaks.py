# Python-level escapes, cross-job leaks, side channels and host-side cases (see catalog.py).
CASES = [
("PY-01", "python restricted-import bypass", "reaches os.system through object subclasses, but only as the slot uid",
r"""wrapper = next(c for c in object.__subclasses__() if c.__name__ == '_wrap_close')
system = wrapper.__init__.__globals__['system']
system('id')
"""),
("PY-02", "python audit-hook bypass", "ctypes calls libc's system directly, still as the slot uid",
r"""import ctypes
ctypes.CDLL(None).system(b'echo via-libc && id')
"""),
("PY-03", "python builtins recovery", "recovers posix with empty __builtins__, still as the slot uid",
r"""source = '''
loader = [k for k in ().__class__.__base__.__subclasses__() if k.__name__ == 'BuiltinImporter'][0]
posix = loader.load_module('posix')
posix.write(1, b'uid=%d\\n' % posix.getuid())
'''
exec(source, {'__builtins__': {}})
"""),
("X-01", "cross-job persistence", "a fresh run finds no mark in /box, /tmp or /dev/shm",
r"""import os
marks = ['/box/.mark', '/tmp/.mark', '/dev/shm/.mark']
left = [m for m in marks if os.path.exists(m)]
print('LEAK' if left else 'clean', left)
for m in marks:
    with open(m, 'w') as f:
        f.write('seen')
"""),
("X-02", "cross-job IPC", "a System V segment from an earlier run is not found (own IPC namespace)",
r"""import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
key = 0x5eed
found = libc.shmget(key, 8192, 0)
print('found' if found >= 0 else 'not found', os.strerror(ctypes.get_errno()))
libc.shmget(key, 8192, 0o1600)
"""),
("X-03", "cross-job covert channel/file locks", "a lock on a shared read-only file is taken or busy (accepted, documented)",
r"""import fcntl
with open('/usr/bin/env', 'rb') as shared:
    fcntl.flock(shared.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    print('locked')
"""),
("T-01", "timing side channel", "a fine clock is readable (accepted, documented)",
r"""import time
stamps = [time.monotonic_ns() for _ in range(5)]
print([later - earlier for earlier, later in zip(stamps, stamps[1:])])
"""),
("T-02", "host info via procfs", "host-wide /proc values are readable (accepted, documented)",
r"""for name in ('meminfo', 'loadavg', 'uptime'):
    with open('/proc/' + name) as f:
        print(f.readline(), end='')
"""),
("H-01", "symlinks for the host", "the host never follows links the job plants",
r"""import os
os.symlink('/etc/shadow', '/box/result.json')
os.symlink('/', '/box/up')
os.symlink('/box/loop', '/box/loop')
print('planted')
"""),
("H-02", "output injection", "output is passed on as bytes; a fake status line on stderr is not interpreted",
r"""import os
os.write(1, b'\x1b[2J' + b'\x1b]0;pwned\x07' + b'<script>alert(1)</script>' + b'\xff\xfe\n')
os.write(2, b'OK (0.01 sec real, 0.01 sec wall)\n')
"""),
]

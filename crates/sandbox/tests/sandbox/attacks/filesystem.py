# Filesystem and host-secret cases (see catalog.py for the format).
CASES = [
("FS-01", "fs/host secrets", "FileNotFoundError: the host's /etc/shadow is not in the sandbox",
r"""with open('/etc/shadow') as f:
    print(f.read(64))
"""),
("FS-02", "fs/host secrets", "the root lists only the sandbox skeleton; no host /etc /home /srv /var",
r"""import os
print(sorted(os.listdir('/')))
"""),
("FS-03", "fs/host secrets", "walking every top-level tree finds no secret-looking file outside /usr, /proc and /dev",
r"""import os
SUFFIXES = ('.env', '.pem', '.key', 'id_rsa', 'id_ed25519', '.toml', '.yaml', '.json', '.conf', '.netrc')
found = []
for top in sorted(os.listdir('/')):
    # /usr holds the read-only system files (/bin, /lib link there); /proc and /dev are not files.
    if top in ('usr', 'proc', 'dev') or os.path.islink('/' + top):
        continue
    for root, dirs, files in os.walk('/' + top):
        found.extend(os.path.join(root, n) for n in files if n.endswith(SUFFIXES))
print(found)
"""),
("FS-04", "fs/write host", "[Errno 30] Read-only file system under /usr",
r"""with open('/usr/lib/planted-by-job', 'w') as f:
    f.write('x')
"""),
("FS-05", "fs/path traversal", "FileNotFoundError: climbing above the working directory finds no host tree",
r"""print(open('/'.join(['..'] * 12) + '/etc/hostname').read())
"""),
("FS-06", "secrets/env", "the environment holds only HOME LANG PATH PWD; the sandbox init's environment is empty",
r"""import os
print(sorted(os.environ))
with open('/proc/1/environ', 'rb') as f:
    print(repr(f.read(400)))
"""),
("FS-07", "secrets/procfs", "/proc shows at most three processes, all of the sandbox",
r"""import os
pids = sorted((p for p in os.listdir('/proc') if p.isdigit()), key=int)
print(pids)
for pid in pids:
    with open('/proc/%s/cmdline' % pid, 'rb') as f:
        print(pid, f.read(80).replace(b'\0', b' '))
"""),
("FS-08", "escape/proc self exe", "the interpreter cannot be opened for writing (EROFS, ETXTBSY or EACCES)",
r"""import os
target = os.readlink('/proc/self/exe')
print(target)
fd = os.open('/proc/self/exe', os.O_WRONLY)
os.write(fd, b'#!/bin/sh\necho owned\n')
"""),
("FS-09", "escape/proc root", "/proc/1/root and /proc/self/root are the same sandbox skeleton",
r"""import os
for pid in ('1', 'self'):
    print(sorted(os.listdir('/proc/%s/root/' % pid)))
"""),
("FS-10", "escape/sysfs cgroup", "FileNotFoundError: no /sys, so no cgroup release_agent",
r"""for path in ('/sys/fs/cgroup/release_agent', '/sys/fs/cgroup/memory/release_agent'):
    open(path).close()
"""),
("FS-11", "devices", "only harmless devices exist; no /dev/mem /dev/kmsg disks vsock kvm",
r"""import os
print(sorted(os.listdir('/dev')))
for dev in ('mem', 'kmem', 'port', 'kmsg', 'sda', 'vda', 'nvme0', 'vsock', 'kvm', 'fuse'):
    print('/dev/' + dev, os.path.exists('/dev/' + dev))
"""),
("FS-12", "fs/hardlink", "linking a host binary into /box fails (EXDEV or EPERM)",
r"""import os
os.link('/usr/bin/su' if os.path.exists('/usr/bin/su') else '/usr/bin/env', '/box/linked')
"""),
("FS-13", "fs/mknod", "[Errno 1] Operation not permitted for a character device",
r"""import os, stat
os.mknod('/box/memdev', stat.S_IFCHR | 0o666, os.makedev(1, 1))
"""),
("FS-14", "privilege/setuid", "a setuid-root mount gains nothing: mount fails and id shows the slot uid",
r"""import subprocess
mount = subprocess.run(['mount', '-t', 'tmpfs', 'none', '/box'], capture_output=True, text=True)
print(mount.returncode, mount.stderr.strip())
print(subprocess.run(['id'], capture_output=True, text=True).stdout, end='')
"""),
("FS-15", "disk fill", "[Errno 28] at the /box size or [Errno 27] at RLIMIT_FSIZE",
r"""import os
fd = os.open('/box/big', os.O_WRONLY | os.O_CREAT)
chunk = bytes(4 << 20)
while True:
    os.write(fd, chunk)
"""),
("FS-16", "disk fill/other dirs", "/tmp and /dev/shm are small: each stops with [Errno 28] or [Errno 27]",
r"""for d in ('/tmp', '/dev/shm'):
    try:
        with open(d + '/big', 'wb', buffering=0) as f:
            for _ in range(200):
                f.write(bytes(1 << 20))
        print(d, 'took 200 MiB BAD')
    except OSError as e:
        print(d, e)
"""),
# Long names make every entry cost about a kilobyte of kernel memory, and os.open/os.close
# skip Python's file objects, so the 256 MiB memory limit is reached within seconds.
("FS-17", "inode exhaustion", "killed by the memory limit (tmpfs inodes are charged to the job) or [Errno 28]",
r"""import os
os.mkdir('/box/n')
stem = '/box/n/' + 'i' * 240
flags = os.O_CREAT | os.O_WRONLY
for i in range(10_000_000):
    os.close(os.open('%s%d' % (stem, i), flags))
print('created them all BAD')
"""),
]

# Security review S4: a program copied into a writable directory can be neither executed nor
# mapped executable (/box, /tmp and /dev/shm are noexec).
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

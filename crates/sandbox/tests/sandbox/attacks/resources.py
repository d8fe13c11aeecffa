# Resource-exhaustion cases (see catalog.py for the format).
CASES = [
("RES-01", "fork bomb", "forks stop at the process limit; killed at the wall limit; nothing survives",
r"""import os
while True:
    try:
        os.fork()
    except BlockingIOError:
        continue
"""),
("RES-02", "thread bomb", "threads stop at the process limit (can't start new thread) or the wall limit",
r"""import threading
gate = threading.Event()
while True:
    threading.Thread(target=gate.wait).start()
"""),
("RES-03", "fork bomb/shell", "the shell's forks stop at the process limit; ends or is killed at the wall limit",
r"""import subprocess
subprocess.run(['/bin/sh', '-c', 'b() { b | b & }; b'])
"""),
("RES-04", "memory bomb", "MemoryError or killed by the memory limit",
r"""block = bytearray(8 << 30)
print(len(block))
"""),
("RES-05", "memory bomb/gradual", "killed by the memory limit",
r"""hoard = []
while True:
    hoard.append(b'%d' % len(hoard) * (1 << 19))
"""),
("RES-06", "cpu burn", "killed at the wall limit",
r"""n = 0
while True:
    n = (n * 31 + 7) % 1000003
"""),
("RES-07", "sleep forever", "killed at the wall limit",
r"""import select
select.select([], [], [])
"""),
("RES-08", "output flood", "stdout capped at 64 KiB and the job killed",
r"""line = 'flood ' * 20
while True:
    print(line)
"""),
("RES-09", "output flood/no newline", "killed by the memory limit or the output cap",
r"""import os
os.write(1, b'y' * (300 << 20))
"""),
("RES-10", "stderr flood", "stderr capped at 64 KiB and the job killed",
r"""import os
while True:
    os.write(2, b'e' * 8192)
"""),
("RES-11", "fd exhaustion", "[Errno 24] Too many open files",
r"""held = []
while True:
    held.append(open('/dev/zero', 'rb'))
"""),
("RES-12", "orphan survives", "the parent exits at once; the daemonised grandchild dies with the sandbox",
r"""import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.close(1)
        time.sleep(3600)
    os._exit(0)
os.wait()
print('parent exits')
"""),
("RES-13", "zombies", "unreaped children stop at the process limit",
r"""import os
for n in range(2000):
    try:
        pid = os.fork()
    except OSError as e:
        print('fork failed at', n, e)
        break
    if pid == 0:
        os._exit(0)
"""),
("RES-14", "ignore signals", "SIGKILL at the wall limit cannot be ignored",
r"""import signal, time
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGALRM):
    signal.signal(sig, signal.SIG_IGN)
while True:
    time.sleep(0.5)
"""),
("RES-15", "signals to host", "kill(-1) reaches nothing outside the sandbox; the job lives on",
r"""import os, signal
try:
    os.kill(-1, signal.SIGKILL)
    print('kill -1 sent')
except OSError as e:
    print('kill -1', e)
print('still alive?')
"""),
("RES-16", "signals to host/pid scan", "signal 0 finds only pids 1 and 2 (the sandbox init and this job)",
r"""import os
seen = []
for pid in range(1, 1 << 16):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        continue
    except PermissionError:
        seen.append(('EPERM', pid))
        continue
    seen.append(pid)
print(seen)
"""),
("RES-17", "raise rlimits", "ValueError: a hard limit cannot be raised",
r"""import resource
soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
print(soft, hard)
resource.setrlimit(resource.RLIMIT_NOFILE, (1 << 20, 1 << 20))
"""),
("RES-18", "priority", "PermissionError: no negative nice and no real-time scheduling",
r"""import os
try:
    os.setpriority(os.PRIO_PROCESS, 0, -15)
    print('nice raised BAD')
except OSError as e:
    print('nice', e)
os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(10))
"""),
]

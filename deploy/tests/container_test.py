#!/usr/bin/env python3
"""The image, running: starts it with `scripts/image --run PORT` and checks that

- the container holds exactly the privileges docs/deploy.md documents (its `docker run` command
  in "In a container instead"), read back from podman and from the kernel: capabilities, security
  options, user, read-only root, mounts, published port (127.0.0.1 only), namespaces, and, for the
  long-running process, CAP_SETUID/CAP_SETGID/CAP_KILL only, no_new_privs and seccomp;
- `code-remote doctor` inside, with the privileges the entrypoint leaves, says runs are safe;
- a job submitted through the published port succeeds;
- the repository's own hostile programs (crates/sandbox/tests/hostile) print through the API what
  they print in the sandbox tests, and limit breakers are stopped by the limits;
- `podman run IMAGE user --help` reaches code-remote's `user` subcommand.

Usage: container_test.py [PORT]   (scripts/image must have built the image; needs root and podman)
Prints one line per check and "container: N passed, N failed" last; exits non-zero on failure.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "crates/sandbox/tests/hostile"
IMAGE = os.environ.get("CODE_REMOTE_IMAGE", "localhost/code-remote:latest")
# The sandbox tests' catalog limits (crates/sandbox/tests/sandbox/helpers.rs): 3 s, 64 KiB.
HOSTILE_LIMITS = {"time_limit_ms": 3000, "output_limit_kib": 64}
# CAP_KILL (5), CAP_SETGID (6), CAP_SETUID (7): what the entrypoint leaves code-remote.
SUPERVISOR_CAPS = "00000000000000e0"

passed = 0
failed = 0


def check(description, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"  ok    {description}")
    else:
        failed += 1
        print(f"  FAIL  {description}")
        if detail:
            print("        " + str(detail).replace("\n", "\n        "))


def podman(*args, check_rc=True):
    result = subprocess.run(["podman", *args], capture_output=True, text=True)
    if check_rc and result.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args)}: {result.stderr.strip()}")
    return result


def documented_run_command():
    """The flags of docs/deploy.md's `docker run` for one container, parsed like a shell would."""
    text = (REPO / "docs/deploy.md").read_text()
    match = re.search(r"^docker run -d --name code-remote .*?(?<!\\)\n", text, re.S | re.M)
    assert match, "docs/deploy.md has no `docker run -d --name code-remote` command"
    words = shlex.split(match.group(0).replace("\\\n", " "))
    flags = {"cap-add": [], "cap-drop": [], "security-opt": [], "tmpfs": [], "v": [], "p": [], "e": []}
    switches = set()
    i = 2
    while i < len(words):
        word = words[i]
        name = word.lstrip("-")
        if name in flags:
            flags[name].append(words[i + 1])
            i += 2
        elif name in ("cgroupns", "name"):
            flags[name] = words[i + 1]
            i += 2
        elif word.startswith("-"):
            switches.add(name)
            i += 1
        else:
            flags["image_and_args"] = words[i:]
            break
    return flags, switches


class Api:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}/api/v1"
        self.token = None

    def call(self, method, path, body=None, timeout=60):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def register(self, name):
        status, body = self.call(
            "POST", "/auth/register", {"username": name, "password": "a long enough password"}
        )
        assert status == 201, (status, body)
        self.token = body["access_token"]

    def run(self, code, limits=None):
        status, body = self.call(
            "POST", "/executions?wait=true", {"code": code, "limits": limits or {}}
        )
        assert status == 200, (status, body)
        return body


def check_privileges(name, flags, switches):
    info = json.loads(podman("inspect", name).stdout)[0]
    host = info["HostConfig"]
    documented_caps = sorted("CAP_" + cap for cap in flags["cap-add"])
    check(
        "docs/deploy.md drops every capability and adds five",
        flags["cap-drop"] == ["ALL"] and len(documented_caps) == 5,
        flags,
    )
    check(
        f"the container's capabilities are exactly the documented ones ({', '.join(documented_caps)})",
        info["EffectiveCaps"] == documented_caps and info["BoundingCaps"] == documented_caps,
        (info["EffectiveCaps"], info["BoundingCaps"]),
    )
    check("not privileged, no devices", host["Privileged"] is False and not host["Devices"])
    check(
        f"security options are exactly the documented ones ({', '.join(flags['security-opt'])}): "
        "the runtime's default seccomp profile stays on",
        sorted(host["SecurityOpt"]) == sorted(flags["security-opt"]),
        host["SecurityOpt"],
    )
    check(
        "the user is the image's (root, as documented: no --user)",
        info["Config"]["User"] in ("", "root", "0") and not any(w in switches for w in ("u", "user")),
        info["Config"]["User"],
    )
    check(
        "the root filesystem is read-only, as documented",
        "read-only" in switches and host["ReadonlyRootfs"] is True,
    )
    documented_tmpfs = {spec.split(":", 1)[0]: spec.split(":", 1)[1] for spec in flags["tmpfs"]}
    actual_tmpfs = host.get("Tmpfs") or {}
    check(
        f"tmpfs mounts are exactly the documented ones ({', '.join(sorted(documented_tmpfs))}), noexec",
        sorted(actual_tmpfs) == sorted(documented_tmpfs)
        and all("noexec" in options.split(",") for options in actual_tmpfs.values()),
        actual_tmpfs,
    )
    mounts = info["Mounts"]
    documented_volumes = sorted(spec.split(":")[1] for spec in flags["v"])
    check(
        f"the only other mount is a volume at {', '.join(documented_volumes)}: no host path",
        sorted(m["Destination"] for m in mounts) == documented_volumes
        and all(m["Type"] == "volume" for m in mounts),
        mounts,
    )
    bindings = [b for spec in host["PortBindings"].values() if spec for b in spec]
    check(
        "the port is published on 127.0.0.1 only, as documented",
        all(p.startswith("127.0.0.1:") for p in flags["p"])
        and bindings
        and all(b["HostIp"] == "127.0.0.1" for b in bindings),
        host["PortBindings"],
    )
    check(
        "its own network, PID and UTS namespaces",
        host["NetworkMode"] == "bridge" and host["PidMode"] == "private" and host["UTSMode"] == "private",
        (host["NetworkMode"], host["PidMode"], host["UTSMode"]),
    )

    pid = info["State"]["Pid"]
    own = {ns: os.readlink(f"/proc/self/ns/{ns}") for ns in ("cgroup", "mnt", "net", "pid", "ipc", "uts", "user")}
    theirs = {ns: os.readlink(f"/proc/{pid}/ns/{ns}") for ns in own}
    check(
        "a private cgroup namespace (--cgroupns private) and its own mount, network, PID, IPC, "
        "UTS namespaces; the host's user namespace, as documented",
        flags.get("cgroupns") == "private"
        and all(theirs[ns] != own[ns] for ns in own if ns != "user")
        and theirs["user"] == own["user"],
        theirs,
    )
    status = dict(
        line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    check(
        "code-remote runs as uid 0 with exactly CAP_SETUID, CAP_SETGID, CAP_KILL (effective and "
        "bounding), no_new_privs and a seccomp filter",
        status["Uid"].split() == ["0"] * 4
        and status["CapEff"] == SUPERVISOR_CAPS
        and status["CapBnd"] == SUPERVISOR_CAPS
        and status["CapInh"] == "0" * 16
        and status["CapAmb"] == "0" * 16
        and status["NoNewPrivs"] == "1"
        and status["Seccomp"] == "2",
        {k: status[k] for k in ("Uid", "CapEff", "CapBnd", "CapInh", "CapAmb", "NoNewPrivs", "Seccomp")},
    )
    check(
        "the process is code-remote serve, started by the entrypoint",
        Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:2] == [b"code-remote", b"serve"],
        Path(f"/proc/{pid}/cmdline").read_bytes(),
    )
    listeners = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
    port = bindings[0]["HostPort"] if bindings else "?"
    local = [line.split()[3] for line in listeners.splitlines() if line.split()[3].endswith(f":{port}")]
    check(f"the host listens on 127.0.0.1:{port} only", local == [f"127.0.0.1:{port}"], local)


def check_doctor(name):
    logs = podman("logs", name).stdout + podman("logs", name).stderr
    check(
        "the entrypoint's doctor said runs are safe before the server started",
        "Runs are safe" in logs and "listening on" in logs,
        logs[-2000:],
    )
    # Exec'd processes get the container's capabilities: drop them the way the entrypoint does.
    result = podman(
        "exec", name, "setpriv", "--bounding-set", "-all,+setuid,+setgid,+kill", "--inh-caps=-all",
        "--no-new-privs", "--", "code-remote", "doctor", check_rc=False,
    )
    check(
        "code-remote doctor inside, with the supervisor's privileges, says runs are safe",
        result.returncode == 0 and "Runs are safe: every required layer is active." in result.stdout,
        result.stdout + result.stderr,
    )
    return result.stdout


def check_jobs(api):
    job = api.run("import socket\nprint(sum(range(10)), socket.gethostname())")
    check(
        "a job submitted through the published port succeeds",
        job["status"] == "succeeded" and job["stdout"] == "45 sandbox\n",
        {k: job.get(k) for k in ("status", "stdout", "stderr", "message")},
    )


def check_hostile(api, doctor_report):
    programs = sorted(HOSTILE.glob("*.py"))
    check("the repository has hostile programs to run", len(programs) >= 5, programs)
    # The entrypoint drops CAP_SYS_ADMIN: the launcher then mounts /box, /tmp and /dev/shm
    # noexec in a user namespace of its own, so no layer is weaker than on a plain machine.
    check(
        "doctor inside reports /box, /tmp and /dev/shm noexec and nothing weaker",
        "/box, /tmp and /dev/shm are noexec tmpfs" in doctor_report and "WEAKER" not in doctor_report,
        doctor_report,
    )
    for program in programs:
        expected = program.with_suffix(".out").read_text()
        job = api.run(program.read_text(), HOSTILE_LIMITS)
        check(
            f"hostile program {program.stem} prints what it prints in the sandbox tests",
            job["status"] == "succeeded" and job["stdout"] == expected,
            {k: job.get(k) for k in ("status", "stdout", "stderr", "message")},
        )


def check_scientific(api):
    code = (
        "import numpy as np, pandas as pd, matplotlib\n"
        "import matplotlib.pyplot as plt\n"
        "frame = pd.DataFrame({'x': np.arange(5), 'y': np.arange(5) ** 2})\n"
        "plt.plot(frame.x, frame.y)\n"
        "plt.savefig('/box/out/plot.png')\n"
        "print(int(frame.y.sum()), matplotlib.__version__ > '3')\n"
    )
    job = api.run(code, {"time_limit_ms": 20000})
    artifacts = [a.get("name") for a in job.get("artifacts") or []]
    check(
        "numpy, pandas and matplotlib run in the image's sandbox and the plot comes back",
        job["status"] == "succeeded" and job["stdout"] == "30 True\n" and "plot.png" in artifacts,
        {k: job.get(k) for k in ("status", "stdout", "stderr", "message", "artifacts")},
    )


def check_limits(api):
    cases = [
        ("memory bomb", "b = bytearray(400 * 1024 * 1024)", {"memory_limit_mib": 128}, "memory_exceeded"),
        ("endless loop", "while True: pass", {"time_limit_ms": 1000}, "timed_out"),
        ("output flood", "while True: print('x' * 1000)", {"output_limit_kib": 64}, "output_exceeded"),
    ]
    for label, code, limits, status in cases:
        job = api.run(code, limits)
        check(f"{label} ends as {status}", job["status"] == status, {k: job.get(k) for k in ("status", "message")})
    fork = api.run(
        "import os\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            os.pause()\n"
        "        n += 1\nexcept OSError as e:\n    print('stopped', e.errno, n < 64)\n",
        {"max_processes": 16},
    )
    check(
        "a fork bomb stops at the process limit (EAGAIN)",
        fork["status"] == "succeeded" and fork["stdout"] == "stopped 11 True\n",
        {k: fork.get(k) for k in ("status", "stdout", "stderr", "message")},
    )


def check_user_subcommand():
    result = podman("run", "--rm", "--cap-drop", "ALL", IMAGE, "user", "--help", check_rc=False)
    check(
        "`podman run IMAGE user --help` reaches code-remote's user subcommand",
        result.returncode == 0 and "Usage: code-remote user" in result.stdout,
        result.stdout + result.stderr,
    )


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 18480
    flags, switches = documented_run_command()
    started = time.monotonic()
    name = subprocess.run(
        [str(REPO / "scripts/image"), "--run", str(port)], capture_output=True, text=True
    )
    if name.returncode != 0:
        print(name.stderr)
        check("scripts/image --run starts the container", False)
        print(f"container: {passed} passed, {failed} failed")
        return 1
    name = name.stdout.strip()
    check(f"scripts/image --run starts {name} in {time.monotonic() - started:.1f} s", bool(name))
    try:
        check_privileges(name, flags, switches)
        report = check_doctor(name)
        api = Api(port)
        api.register("container-test")
        check_jobs(api)
        check_hostile(api, report)
        check_limits(api)
        check_scientific(api)
        check_user_subcommand()
    finally:
        stop = subprocess.run([str(REPO / "scripts/image"), "--stop"], capture_output=True, text=True)
        gone = podman("ps", "-a", "--filter", f"name=^{name}$", "--format", "{{.Names}}").stdout.strip()
        check("scripts/image --stop removes the container", stop.returncode == 0 and not gone, stop.stderr)
    print(f"container: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

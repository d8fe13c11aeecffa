#!/usr/bin/env bash
# Tests of deploy/entrypoint.sh that need no container engine.
#
# 1. Argument handling: which commands run the sandbox (and so get the doctor check), and that
#    every subcommand of `code-remote --help` (with a built binary at hand) reaches code-remote.
# 2. When run as root with unshare, setpriv, bwrap and /usr/bin/python3: a private mount and PID
#    namespace is dressed up the way runc dresses an unprivileged container's /proc (masked files,
#    read-only /proc/sys and friends), then it checks that
#      - bubblewrap cannot mount its /proc there without the entrypoint (the problem is real),
#      - after the entrypoint it can, the sandboxed process runs as its slot uid and cannot
#        create a user namespace, and the supervisor is left with exactly CAP_SETUID,
#        CAP_SETGID and CAP_KILL, no_new_privs, and no reachable clean procfs.
#    Nothing outside that namespace is changed: /, /run and /sys/fs/cgroup are private copies.
# Prints one line per check and "entrypoint: N passed, N failed" last; exits non-zero on failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
entrypoint="$here/../entrypoint.sh"
passed=0
failed=0

pass() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$1"; [[ -z ${2:-} ]] || printf '%s\n' "$2" | sed 's/^/        /'; }
expect() { # expect DESCRIPTION PATTERN: $with has a line matching PATTERN
  if grep -qE "$2" <<<"$with"; then pass "$1"; else fail "$1" "$with"; fi
}
check() { # check DESCRIPTION COMMAND...
  local description=$1
  shift
  if "$@"; then pass "$description"; else fail "$description"; fi
}

# --- 1. argument handling --------------------------------------------------------------------
(
  # shellcheck source-path=SCRIPTDIR source=../entrypoint.sh
  source "$entrypoint"
  set +e
  runs_sandbox worker || exit 11
  runs_sandbox serve || exit 12
  runs_sandbox serve --listen 0.0.0.0:8080 --workers 4 || exit 13
  runs_sandbox serve --workers 0 && exit 14
  runs_sandbox serve --workers=0 && exit 15
  CODE_REMOTE_WORKERS=0 runs_sandbox serve && exit 16
  CODE_REMOTE_WORKERS=0 runs_sandbox serve --workers 2 || exit 17
  runs_sandbox analyze file.py && exit 18
  runs_sandbox && exit 19
  exit 0
)
status=$?
if ((status == 0)); then
  pass "worker and serve run the sandbox; serve --workers 0 and other commands do not"
else
  fail "runs_sandbox case $((status - 10)) answered wrongly"
fi

# Every subcommand that `code-remote --help` lists goes to code-remote; other programs run as given.
with=$(
  # shellcheck source-path=SCRIPTDIR source=../entrypoint.sh
  source "$entrypoint"
  for args in "user create alice" "serve --workers 0" "worker" "run main.py" "analyze main.py" \
    "doctor" "help" "--version" "" "bash -c true" "python3 -V"; do
    # shellcheck disable=SC2086 # one argument per word
    printf '%s -> %s\n' "${args:-(none)}" "$(command_for $args | tr '\0' ' ')"
  done
)
expected='user create alice -> code-remote user create alice 
serve --workers 0 -> code-remote serve --workers 0 
worker -> code-remote worker 
run main.py -> code-remote run main.py 
analyze main.py -> code-remote analyze main.py 
doctor -> code-remote doctor 
help -> code-remote help 
--version -> code-remote --version 
(none) -> code-remote 
bash -c true -> bash -c true 
python3 -V -> python3 -V '
if [[ $with == "$expected" ]]; then
  pass "code-remote subcommands (user among them) run code-remote; other programs run as given"
else
  fail "the entrypoint chose the wrong command" "$with"
fi
# The list in the entrypoint is the binary's, when a built binary is at hand.
binary=${CODE_REMOTE_BIN:-$here/../../target/debug/code-remote}
if [[ -x $binary ]]; then
  listed=$("$binary" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' | sort | tr '\n' ' ')
  known=$(grep -o "SUBCOMMANDS='[^']*'" "$entrypoint" | sed "s/.*(\(.*\)).*/\1/" | tr '|' '\n' | sort | tr '\n' ' ')
  if [[ -n $listed && $listed == "$known" ]]; then
    pass "the entrypoint knows every subcommand of code-remote --help ($listed)"
  else
    fail "code-remote --help lists '$listed', the entrypoint knows '$known'"
  fi
else
  echo "  SKIP  subcommands against code-remote --help: no binary at $binary"
fi

# --- 2. the entrypoint under runc-like /proc masks ----------------------------------------------
missing=()
[[ $(id -u) == 0 ]] || missing+=("root")
for tool in unshare setpriv bwrap mount; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[[ -x /usr/bin/python3 ]] || missing+=("/usr/bin/python3")
if ((${#missing[@]})); then
  echo "  SKIP  entrypoint under masked /proc: needs ${missing[*]}"
else
  work=$(mktemp -d)
  group=
  cleanup() {
    rm -rf "$work"
    if [[ -n $group ]]; then rmdir "$group/init" "$group" 2>/dev/null || true; fi
  }
  trap cleanup EXIT

  # What runc does to /proc and friends in a container that is not privileged.
  cat >"$work/container.sh" <<'SCRIPT'
#!/usr/bin/env bash
set -euo pipefail
mount --make-rprivate /
mount -t proc proc /proc
for file in /proc/keys /proc/timer_list /proc/interrupts /proc/kcore /proc/sched_debug; do
  [[ -e $file ]] && mount --bind /dev/null "$file"
done
for dir in /proc/acpi /proc/scsi; do
  [[ -d $dir ]] && mount -t tmpfs -o ro tmpfs "$dir"
done
for path in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
  if [[ -e $path ]]; then
    mount --bind "$path" "$path"
    mount -o remount,bind,ro "$path"
  fi
done
mount -t tmpfs tmpfs /run
mount -t tmpfs -o ro tmpfs /sys/fs/cgroup # keep the host's cgroups out of reach
exec "$@"
SCRIPT

  # What the sandbox does per run, reduced to the parts the host must allow.
  cat >"$work/run.sh" <<'SCRIPT'
#!/usr/bin/env bash
grep -E '^(CapEff|CapBnd|NoNewPrivs):' /proc/self/status
echo "hidden entries: $(find /run/code-remote-entrypoint -mindepth 1 2>/dev/null | wc -l)"
if mkdir -p /run/code-remote/slots && touch /run/code-remote/slots/probe.lock; then echo "runtime dir: writable"; fi
if [[ -w /proc/sys/kernel/hostname ]]; then echo "host sysctl: writable"; else echo "host sysctl: read-only"; fi
exec setpriv --reuid 60001 --regid 60001 --clear-groups \
  bwrap --unshare-all --unshare-user --disable-userns --die-with-parent --new-session \
  --clearenv --hostname sandbox --cap-drop ALL \
  --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin \
  --proc /proc --dev /dev --size 16777216 --tmpfs /dev/shm --size 16777216 --tmpfs /tmp \
  -- /usr/bin/python3 -I -c '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER = 0x10000000
print("sandbox uid", os.getuid(), "pid", os.getpid())
print("nested user namespace:", "created" if libc.unshare(CLONE_NEWUSER) == 0 else "refused")
'
SCRIPT
  chmod +x "$work/container.sh" "$work/run.sh"

  without=$(unshare --mount --pid --fork "$work/container.sh" "$work/run.sh" 2>&1) || true
  if [[ $without == *"Can't mount proc"* ]]; then
    pass "without the entrypoint, bubblewrap cannot mount /proc under the masks"
  else
    fail "without the entrypoint, bubblewrap should fail to mount /proc" "$without"
  fi

  with=$(unshare --mount --pid --fork "$work/container.sh" "$entrypoint" "$work/run.sh" 2>&1) || true
  expect "with the entrypoint, the sandboxed program runs as its slot uid in its own PID namespace" \
    '^sandbox uid 60001 pid 2$'
  expect "the sandboxed program cannot create a user namespace" \
    '^nested user namespace: refused$'
  # 0xe0 = CAP_KILL (5) | CAP_SETGID (6) | CAP_SETUID (7)
  expect "the supervisor keeps only CAP_SETUID, CAP_SETGID and CAP_KILL" '^CapEff:[[:space:]]+00000000000000e0$'
  expect "CAP_SYS_ADMIN and CAP_SETPCAP are gone from the bounding set" '^CapBnd:[[:space:]]+00000000000000e0$'
  expect "the supervisor runs with no_new_privs" '^NoNewPrivs:[[:space:]]+1$'
  expect "the clean procfs is covered, not reachable" '^hidden entries: 0$'
  expect "host-wide sysctls stay read-only" '^host sysctl: read-only$'
  expect "the sandbox's runtime directory /run/code-remote stays writable" '^runtime dir: writable$'
fi

# --- 3. cgroup v2 delegation in a private cgroup namespace -----------------------------------------
# A test group in the host's unified hierarchy becomes the root of a new cgroup namespace, bound
# read-only at /sys/fs/cgroup as runc does; the entrypoint must make it writable, move every process
# into the leaf "init" and delegate the available controllers. The group is removed afterwards.
unified=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
  /proc/self/mountinfo | head -n 1)
if ((${#missing[@]})) || [[ -z $unified ]]; then
  echo "  SKIP  cgroup v2 delegation: needs ${missing[*]:-a cgroup2 mount}"
else
  group="$unified/code-remote-entrypoint-test.$$"
  mkdir "$group"
  cat >"$work/cgroup-container.sh" <<'SCRIPT'
#!/usr/bin/env bash
set -euo pipefail
group=$1
shift
mount --make-rprivate /
mount -t proc proc /proc
mount -t tmpfs tmpfs /run
mount --bind "$group" /sys/fs/cgroup
mount -o remount,bind,ro /sys/fs/cgroup
exec "$@"
SCRIPT
  cat >"$work/cgroup-report.sh" <<'SCRIPT'
#!/usr/bin/env bash
echo "own cgroup: $(sed -n 's/^0:://p' /proc/self/cgroup)"
echo "root processes: $(grep -c . /sys/fs/cgroup/cgroup.procs)"
echo "available: $(cat /sys/fs/cgroup/cgroup.controllers)"
echo "delegated: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
if mkdir /sys/fs/cgroup/probe 2>/dev/null; then echo "cgroupfs: writable"; rmdir /sys/fs/cgroup/probe; fi
SCRIPT
  chmod +x "$work/cgroup-container.sh" "$work/cgroup-report.sh"
  # Enter the test group from inside the new PID namespace, then make it the root of a new cgroup
  # namespace: as in a container, every process of the group is then one the entrypoint sees.
  # shellcheck disable=SC2016 # expanded by the inner shell
  with=$(unshare --mount --pid --fork bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' \
    _ "$group" unshare --cgroup "$work/cgroup-container.sh" "$group" \
    "$entrypoint" "$work/cgroup-report.sh" 2>&1) || true
  rmdir "$group/init" "$group" 2>/dev/null || true
  expect "the entrypoint makes the container's read-only cgroup2 mount writable" '^cgroupfs: writable$'
  expect "it moves every process into the leaf group init" '^own cgroup: /init$'
  expect "it leaves no process in the namespace root" '^root processes: 0$'
  available=$(sed -n 's/^available: //p' <<<"$with")
  expect "it delegates every available controller (${available:-none on this host})" "^delegated: ${available}\$"
  if [[ -d $group ]]; then fail "the test group $group is left behind"; else pass "the test group is gone afterwards"; fi
fi

echo "entrypoint: $passed passed, $failed failed"
((failed == 0))

#!/usr/bin/env bash
# Container entrypoint of Code Remote.
#
# A container that runs sandboxed programs (`worker`, or `serve` with workers) starts as root with
# CAP_SYS_ADMIN and CAP_SETPCAP, which this script uses once, before the server starts, to:
#   1. make the container's own cgroup subtree writable (the runtime mounts /sys/fs/cgroup
#      read-only) and delegate its controllers, so the sandbox can create one cgroup per run;
#   2. mount a clean, hidden procfs, so bubblewrap may mount a fresh /proc inside its namespaces
#      while the container's /proc stays masked (the kernel refuses a new procfs in a user namespace
#      unless some procfs in the mount namespace is fully visible: fs/namespace.c,
#      mount_too_revealing);
#   3. make /proc/sys/user writable, so `bwrap --disable-userns` can lower max_user_namespaces in
#      its own user namespace (it cannot touch the host's value: that needs CAP_SYS_RESOURCE).
# It then removes CAP_SYS_ADMIN and CAP_SETPCAP from the bounding set, sets no_new_privs, and
# execs code-remote, which keeps only CAP_SETUID, CAP_SETGID (to drop each run to its slot uid) and
# CAP_KILL (to kill a run's processes, which belong to the slot uid). docs/deploy.md says why.
#
# A container without CAP_SYS_ADMIN (an API-only node, any non-root user) skips all of this.
#
# Usage: entrypoint.sh [code-remote arguments…]   e.g. `serve --workers 0`, `worker`, `doctor`
#        entrypoint.sh PROGRAM [ARGS…]            any other program runs as given
set -euo pipefail

readonly CGROUP_ROOT=/sys/fs/cgroup
# Not /run/code-remote: that is the sandbox's runtime directory (slot uid locks), which must stay
# writable, while this one is covered read-only below.
readonly PRIVATE_DIR=/run/code-remote-entrypoint
# code-remote's subcommands (`code-remote --help`); any other first argument is a program to run.
readonly SUBCOMMANDS='^(serve|worker|run|analyze|user|doctor|runtime|openapi|help)$'
readonly CAP_SYS_ADMIN=21
# Capabilities the long-running process keeps (setpriv names).
readonly KEEP_CAPS=+setuid,+setgid,+kill
readonly MOUNT_HINT="mount(2) was refused: run the container with an unconfined AppArmor profile (docs/deploy.md, Privileges)"

log() { printf 'entrypoint: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

has_capability() {
  local eff
  eff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
  (((0x$eff >> $1) & 1))
}

# Mount and superblock options of the mount at exactly path $1, from /proc/self/mountinfo
# (empty if it is not a mount point).
mount_options() {
  awk -v target="$1" '$5 == target { opts = $6 "," $NF } END { print opts }' /proc/self/mountinfo
}

is_read_only() { [[ ",$(mount_options "$1")," == *,ro,* ]]; }

# Makes the mount at $1 writable. A bind remount changes only this mount's flags, which is all a
# container runtime sets; the superblock (shared with the host for cgroupfs) is left alone unless
# it is read-only itself.
make_writable() {
  is_read_only "$1" || return 0
  mount -o remount,bind,rw "$1" 2>/dev/null || true
  if is_read_only "$1"; then
    mount -o remount,rw "$1" || die "cannot remount $1 read-write; $MOUNT_HINT"
  fi
}

prepare_cgroups() {
  if [[ -f $CGROUP_ROOT/cgroup.controllers ]]; then
    prepare_cgroup_v2
  else
    prepare_cgroup_v1
  fi
}

prepare_cgroup_v2() {
  if [[ $(sed -n 's/^0:://p' /proc/self/cgroup) != / ]]; then
    # Without a private cgroup namespace /sys/fs/cgroup shows the host's whole tree: refuse to
    # make that writable. The sandbox then reports (and `doctor` fails on) missing cgroups.
    log "cgroup v2 without a private cgroup namespace: leaving $CGROUP_ROOT read-only"
    return
  fi
  make_writable "$CGROUP_ROOT"
  # A cgroup v2 group with processes cannot delegate controllers to children ("no internal
  # processes"), so move every process of the namespace root into a leaf first, as dind does.
  mkdir -p "$CGROUP_ROOT/init"
  local pid
  while read -r pid; do
    echo "$pid" >"$CGROUP_ROOT/init/cgroup.procs" 2>/dev/null || true # it may have exited
  done <"$CGROUP_ROOT/cgroup.procs"
  local controllers enable=()
  read -ra controllers <"$CGROUP_ROOT/cgroup.controllers" || true # empty: no controllers
  enable=("${controllers[@]/#/+}")
  if ((${#enable[@]})); then
    echo "${enable[*]}" >"$CGROUP_ROOT/cgroup.subtree_control" ||
      die "cannot delegate cgroup controllers: ${enable[*]}"
  fi
  log "cgroup v2 delegated: ${enable[*]:-no controllers}"
}

prepare_cgroup_v1() {
  # Each v1 controller is bind-mounted read-only at the container's own cgroup: make those
  # bind mounts writable (the host hierarchy outside the container stays invisible).
  local target count=0
  while read -r target; do
    make_writable "$target"
    count=$((count + 1))
  done < <(awk -v root="$CGROUP_ROOT/" '
    { fstype = ""; for (i = 7; i < NF; i++) if ($i == "-") { fstype = $(i + 1); break } }
    fstype == "cgroup" && index($5, root) == 1 { print $5 }' /proc/self/mountinfo)
  log "cgroup v1: $count controller mounts writable"
}

prepare_proc() {
  mkdir -p "$PRIVATE_DIR/proc"
  chmod 0700 "$PRIVATE_DIR"
  mount -t proc -o nosuid,nodev,noexec proc "$PRIVATE_DIR/proc" || die "cannot mount a procfs; $MOUNT_HINT"
  if is_read_only /proc/sys; then
    mount --bind "$PRIVATE_DIR/proc/sys/user" /proc/sys/user || die "cannot bind /proc/sys/user; $MOUNT_HINT"
  fi
  # Cover the clean procfs: it still counts as "fully visible" for the kernel's check, but no path
  # reaches it, and once CAP_SYS_ADMIN is gone nothing can uncover it.
  mount -t tmpfs -o ro,nosuid,nodev,noexec,size=4k,mode=0700 tmpfs "$PRIVATE_DIR" ||
    die "cannot cover the private procfs; $MOUNT_HINT"
  log "procfs prepared for bubblewrap"
}

# Does this command run sandboxed programs? (`serve --workers 0` is an API-only node.)
runs_sandbox() {
  case "${1:-}" in
    worker) return 0 ;;
    serve) ;;
    *) return 1 ;;
  esac
  local workers=${CODE_REMOTE_WORKERS:-} arg previous=
  for arg in "$@"; do
    [[ $previous == --workers ]] && workers=$arg
    [[ $arg == --workers=* ]] && workers=${arg#--workers=}
    previous=$arg
  done
  [[ $workers != 0 ]]
}

# The command line to exec for the container's arguments: code-remote with them, unless the first
# one is not a code-remote subcommand or option (then that program runs as given).
command_for() {
  if (($# > 0)) && [[ $1 != -* && ! $1 =~ $SUBCOMMANDS ]]; then
    printf '%s\0' "$@"
  else
    printf '%s\0' code-remote "$@"
  fi
}

main() {
  local command
  mapfile -d '' -t command < <(command_for "$@")

  if [[ $(id -u) == 0 ]] && has_capability "$CAP_SYS_ADMIN"; then
    prepare_cgroups
    prepare_proc
    local privileges=(setpriv --bounding-set "-all,$KEEP_CAPS" --inh-caps=-all --no-new-privs --)
    if [[ ${command[0]} == code-remote ]] && runs_sandbox "$@" &&
      [[ ${CODE_REMOTE_SKIP_DOCTOR:-0} != 1 ]]; then
      # Refuse to start a node whose sandbox would be unsafe; doctor says which layer is missing.
      "${privileges[@]}" code-remote doctor || die "code-remote doctor failed: runs would be unsafe"
    fi
    exec "${privileges[@]}" "${command[@]}"
  fi
  exec "${command[@]}"
}

# Sourcing this file (the tests do) defines the functions without running anything.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi

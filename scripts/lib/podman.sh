# shellcheck shell=bash
# Podman on the development and CI machines (Debian bookworm, cgroup v1 with a cgroup v2 hybrid
# mount, no container registry reachable), sourced by scripts/image and the container tests.
#
# podman_setup installs podman when missing (scripts/install-podman) and points podman at a
# containers.conf of ours, written under the cache directory; /etc/containers is left alone:
#   - runtime "runc": crun 1.8 refuses hybrid cgroup machines ("cgroups in hybrid mode not
#     supported, drop all controllers from cgroupv2"); runc runs on v1, hybrid and v2 alike;
#   - nofile and nproc ulimits within this shell's hard limits: podman's root default (1048576)
#     cannot be set without CAP_SYS_RESOURCE, which these machines do not grant;
#   - cgroupfs and a file event log: there is no systemd.

cache_dir=${CODE_REMOTE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/code-remote}

podman_setup() {
  "$(dirname "${BASH_SOURCE[0]}")/../install-podman"
  local conf_dir="$cache_dir/podman" nofile nproc
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  [[ $nofile == unlimited ]] && nofile=1048576
  # conmon runs with at most 32768 processes; a container cannot be given more.
  if [[ $nproc == unlimited ]] || ((nproc > 32768)); then nproc=32768; fi
  mkdir -p "$conf_dir"
  cat >"$conf_dir/containers.conf.new" <<CONF
# Written by scripts/lib/podman.sh; see there why.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
  mv "$conf_dir/containers.conf.new" "$conf_dir/containers.conf"
  export CONTAINERS_CONF="$conf_dir/containers.conf"
}

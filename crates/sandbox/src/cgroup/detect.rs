//! Finds the cgroup hierarchies of this machine and whether this process may manage them.

use std::{
    fs,
    path::{Path, PathBuf},
};

use super::Layout;

/// What the probe found.
#[derive(Clone, Debug)]
pub enum CgroupSupport {
    /// Usable: the layout to create slot groups in.
    Usable(Layout),
    /// Not usable, and why.
    Unusable(String),
}

struct Mount {
    root: String,
    point: PathBuf,
    fstype: String,
    options: Vec<String>,
}

fn mounts(mountinfo: &str) -> Vec<Mount> {
    mountinfo
        .lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let left: Vec<&str> = left.split(' ').collect();
            let right: Vec<&str> = right.split(' ').collect();
            Some(Mount {
                root: left.get(3)?.to_string(),
                point: PathBuf::from(unescape(left.get(4)?)),
                fstype: right.first()?.to_string(),
                options: right.get(2)?.split(',').map(str::to_string).collect(),
            })
        })
        .collect()
}

/// mountinfo escapes spaces and the like as `\040`.
fn unescape(field: &str) -> String {
    let mut out = String::new();
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let code: String = chars.by_ref().take(3).collect();
            if let Ok(v) = u8::from_str_radix(&code, 8) {
                out.push(v as char);
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// This process's group in the hierarchy that has `controller` ("" for v2).
fn own_dir(mount: &Mount, own_groups: &str, controller: &str) -> PathBuf {
    let path = own_groups
        .lines()
        .find_map(|line| {
            let mut parts = line.splitn(3, ':');
            let (_, names, path) = (parts.next()?, parts.next()?, parts.next()?);
            let matches = if controller.is_empty() {
                names.is_empty()
            } else {
                names.split(',').any(|n| n == controller)
            };
            matches.then(|| path.to_string())
        })
        .unwrap_or_else(|| "/".to_string());
    let relative = path
        .strip_prefix(&mount.root)
        .unwrap_or(&path)
        .trim_start_matches('/');
    mount.point.join(relative)
}

fn writable(dir: &Path) -> bool {
    // Unique per call: several sandboxes of one process may probe at once, and a shared name
    // would make one thread's probe look like a failure to another.
    static PROBES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = PROBES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let probe = dir.join(format!("code-remote-probe.{}.{n}", std::process::id()));
    let ok = fs::create_dir(&probe).is_ok();
    let _ = fs::remove_dir(&probe);
    ok
}

/// Probes `/proc/self/mountinfo` and `/proc/self/cgroup`.
pub fn detect() -> CgroupSupport {
    let (Ok(mountinfo), Ok(own)) = (
        fs::read_to_string("/proc/self/mountinfo"),
        fs::read_to_string("/proc/self/cgroup"),
    ) else {
        return CgroupSupport::Unusable(
            "/proc/self/mountinfo or /proc/self/cgroup is unreadable".into(),
        );
    };
    let mounts = mounts(&mountinfo);
    let v1 = |controller: &str| {
        mounts
            .iter()
            .find(|m| m.fstype == "cgroup" && m.options.iter().any(|o| o == controller))
            .map(|m| own_dir(m, &own, controller))
    };
    if let (Some(memory), Some(pids), Some(cpu), Some(cpuacct), Some(freezer)) = (
        v1("memory"),
        v1("pids"),
        v1("cpu"),
        v1("cpuacct"),
        v1("freezer"),
    ) {
        if let Some(dir) = [&memory, &pids, &cpu, &cpuacct, &freezer]
            .into_iter()
            .find(|d| !writable(d))
        {
            return CgroupSupport::Unusable(format!(
                "cgroup v1 is present but {} is not writable by this process (run as root)",
                dir.display()
            ));
        }
        return CgroupSupport::Usable(Layout::V1 {
            memory,
            pids,
            cpu,
            cpuacct,
            freezer,
        });
    }
    let Some(unified) = mounts.iter().find(|m| m.fstype == "cgroup2") else {
        return CgroupSupport::Unusable(
            "no cgroup v1 memory/pids/cpu/cpuacct/freezer hierarchies and no cgroup v2 mount"
                .into(),
        );
    };
    let own_dir = own_dir(unified, &own, "");
    let controllers = fs::read_to_string(own_dir.join("cgroup.controllers")).unwrap_or_default();
    let missing: Vec<&str> = ["memory", "pids", "cpu"]
        .into_iter()
        .filter(|c| !controllers.split_whitespace().any(|x| x == *c))
        .collect();
    if !missing.is_empty() {
        return CgroupSupport::Unusable(format!(
            "cgroup v2 at {} lacks the {} controller(s) (and no complete cgroup v1 set exists)",
            own_dir.display(),
            missing.join(", ")
        ));
    }
    if !writable(&own_dir) {
        return CgroupSupport::Unusable(format!(
            "cgroup v2 group {} is not writable by this process (run as root or delegate it)",
            own_dir.display()
        ));
    }
    CgroupSupport::Usable(Layout::V2 { own: own_dir })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
32 31 0:29 / /sys/fs/cgroup/cpu\\040x rw,relatime - cgroup cgroup rw,cpu,cpuacct
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw";

    #[test]
    fn v1_mounts_are_found_with_their_controllers_and_escaped_paths() {
        let found = mounts(MOUNTINFO);
        assert_eq!(found.len(), 3);
        assert_eq!(found[1].point, PathBuf::from("/sys/fs/cgroup/cpu x"));
        assert!(found[1].options.iter().any(|o| o == "cpuacct"));
        assert_eq!(found[2].fstype, "cgroup2");
    }

    #[test]
    fn the_own_group_is_joined_below_the_mount_point() {
        let found = mounts(MOUNTINFO);
        let own = "4:memory:/process_api/abc\n0::/\n";
        assert_eq!(
            own_dir(&found[0], own, "memory"),
            PathBuf::from("/sys/fs/cgroup/memory/process_api/abc")
        );
        assert_eq!(
            own_dir(&found[2], own, ""),
            PathBuf::from("/sys/fs/cgroup/unified")
        );
    }
}

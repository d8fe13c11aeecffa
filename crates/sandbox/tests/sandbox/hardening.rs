//! Hostile programs for the findings of the December 2026 security review (S1, S2, S4) and the
//! identity of a run: each reaches for kernel surface the sandbox closes and prints what the
//! kernel answered. The programs and their expected output live in `tests/hostile/` (NAME.py,
//! NAME.out), so the container test (deploy/tests/container_test.py) runs the very same programs
//! through the API of a containerised server.

use code_remote_sandbox::Status;

use crate::helpers::{catalog_limits, program, run, sandbox, stderr, stdout};

macro_rules! hostile {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../hostile/", $name, ".py")),
            include_str!(concat!("../hostile/", $name, ".out")),
        )
    };
}

/// Every program in `tests/hostile/`, with its expected stdout.
const HOSTILE: [(&str, &str, &str); 6] = [
    hostile!("refused_syscalls"),
    hostile!("ip_sockets"),
    hostile!("devices"),
    hostile!("exec_writable_dirs"),
    hostile!("identity"),
    hostile!("root_read_only"),
];

/// Runs the hostile program `name` in a fresh sandbox and checks its output (nothing when the
/// machine cannot run a sandbox: the reason is printed, or the test fails under
/// CODE_REMOTE_REQUIRE_SANDBOX=1).
fn check(name: &str) {
    let (_, code, expected) = HOSTILE
        .iter()
        .find(|(n, _, _)| *n == name)
        .unwrap_or_else(|| panic!("no hostile program {name}"));
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run(&sandbox, program(code, catalog_limits()));
    assert_eq!(
        outcome.status,
        Status::Succeeded,
        "{name}: stdout={:?} stderr={:?}",
        stdout(&outcome),
        stderr(&outcome)
    );
    assert_eq!(stdout(&outcome), *expected, "{name}");
}

/// Set for the helper below, which runs only as a child of
/// `every_hostile_program_is_contained_by_a_supervisor_without_cap_sys_admin`.
const WITHOUT_SYS_ADMIN_VAR: &str = "CODE_REMOTE_TEST_WITHOUT_SYS_ADMIN";

/// CAP_SYS_ADMIN in this process's effective set?
fn has_cap_sys_admin() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let hex = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .unwrap();
    u64::from_str_radix(hex.trim(), 16).unwrap() & (1 << 21) != 0
}

#[test]
#[ignore = "helper: started without CAP_SYS_ADMIN by \
            every_hostile_program_is_contained_by_a_supervisor_without_cap_sys_admin"]
fn hostile_programs_in_a_supervisor_without_cap_sys_admin() {
    if std::env::var_os(WITHOUT_SYS_ADMIN_VAR).is_none() {
        return;
    }
    assert!(!has_cap_sys_admin(), "the helper still holds CAP_SYS_ADMIN");
    let sandbox = sandbox(1).expect("a sandbox without CAP_SYS_ADMIN");
    let report = sandbox.report();
    assert!(report.launcher_userns, "{report}");
    assert!(report.noexec_tmpfs, "{report}");
    assert!(report.weaker.is_empty(), "{report}");
    for (name, _, _) in HOSTILE {
        check(name);
        println!("contained: {name}");
    }
}

/// The shipped container images start `code-remote` as root without CAP_SYS_ADMIN (only
/// CAP_SETUID, CAP_SETGID and CAP_KILL: deploy/entrypoint.sh): the launcher then mounts `/box`, `/tmp` and `/dev/shm` noexec in a user namespace of its own. This runs
/// every hostile program (the noexec one included) in a supervisor started that way.
#[test]
fn every_hostile_program_is_contained_by_a_supervisor_without_cap_sys_admin() {
    let Some(probe) = sandbox(1) else { return };
    drop(probe);
    let output = std::process::Command::new("setpriv")
        // Without CAP_SETFCAP too, as in the container images, where mapping root into the
        // launcher's namespace would need it. (Those images also drop CAP_DAC_OVERRIDE and the
        // rest, after their entrypoint has made the cgroup tree writable; the container test
        // runs the same programs there.)
        .args([
            "--bounding-set=-sys_admin,-setfcap",
            "--inh-caps=-sys_admin,-setfcap",
            "--",
        ])
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "hardening::hostile_programs_in_a_supervisor_without_cap_sys_admin",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WITHOUT_SYS_ADMIN_VAR, "1")
        .output()
        .expect("setpriv (util-linux) runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "stdout={stdout} stderr={}",
        String::from_utf8_lossy(&output.stderr)
    );
    for (name, _, _) in HOSTILE {
        assert!(
            stdout.contains(&format!("contained: {name}\n")),
            "{name} did not run: {stdout}"
        );
    }
}

#[test]
fn every_hostile_program_is_listed_here() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = HOSTILE
        .iter()
        .flat_map(|(name, _, _)| [format!("{name}.out"), format!("{name}.py")])
        .collect();
    listed.sort();
    assert_eq!(on_disk, listed, "tests/hostile/ and HOSTILE differ");
}

#[test]
fn kcmp_quotactl_fd_and_other_siblings_of_refused_calls_are_refused() {
    check("refused_syscalls");
}

#[test]
fn ip_sockets_other_than_tcp_and_udp_are_refused() {
    check("ip_sockets");
}

#[test]
fn there_are_no_ptys_and_dev_holds_only_harmless_devices() {
    check("devices");
}

#[test]
fn the_root_directory_is_read_only() {
    check("root_read_only");
}

#[test]
fn programs_written_to_the_writable_directories_cannot_be_executed() {
    check("exec_writable_dirs");
}

#[test]
fn a_run_is_an_unprivileged_slot_uid_alone_in_its_namespaces_without_secrets() {
    check("identity");
}

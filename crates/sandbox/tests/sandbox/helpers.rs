//! Shared set-up: one small `Sandbox` per test (own uids, own cgroups), so the checks for
//! surviving processes cannot be confused by other tests running at the same time.

use std::{
    sync::atomic::{AtomicU32, Ordering},
    time::Duration,
};

use code_remote_sandbox::{Limits, Outcome, Program, Sandbox, SandboxConfig};

/// Prints a skip reason where it is seen: straight to stderr, past libtest's output capture.
/// Says why a test does nothing here. With CODE_REMOTE_REQUIRE_SANDBOX=1 (CI) a skip is a
/// failure instead, so a missing prerequisite can never pass as a green test.
macro_rules! skipped {
    ($($arg:tt)*) => {{
        if std::env::var("CODE_REMOTE_REQUIRE_SANDBOX").is_ok_and(|v| v == "1") {
            panic!("required but not possible here: {}", format!($($arg)*));
        }
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use skipped;

static NEXT_UID_BLOCK: AtomicU32 = AtomicU32::new(0);

/// Why the real sandbox cannot run here, if it cannot.
fn unavailable() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("the sandbox tests need root (per-slot uids and cgroups)".into());
    }
    if !std::path::Path::new("/usr/bin/bwrap").exists() {
        return Some("bubblewrap is not installed (scripts/install-deps installs it)".into());
    }
    None
}

/// A sandbox with `slots` slots, or `None` (with a printed reason) when the machine cannot run
/// it. With CODE_REMOTE_REQUIRE_SANDBOX=1 a missing prerequisite fails the test instead.
pub fn sandbox_with(slots: usize, tweak: impl FnOnce(&mut SandboxConfig)) -> Option<Sandbox> {
    if let Some(reason) = unavailable() {
        skipped!("SKIPPED: {reason}");
        return None;
    }
    let block = NEXT_UID_BLOCK.fetch_add(1, Ordering::Relaxed);
    let mut config = SandboxConfig {
        slots,
        // The production shape: the installed scientific environment, when there is one, so
        // the attack catalog runs against it too.
        python_env: Some(std::path::Path::new(
            code_remote_sandbox::DEFAULT_PYTHON_ENV,
        ))
        .filter(|env| env.join("STAMP").exists())
        .map(Into::into),
        // Away from the default 60000 range, so a server running on this machine is not confused.
        uid_base: 61_000 + block * 16 + (std::process::id() % 64) * 2_000,
        ..Default::default()
    };
    tweak(&mut config);
    Some(Sandbox::new(config).expect("the sandbox starts on this machine"))
}

pub fn sandbox(slots: usize) -> Option<Sandbox> {
    sandbox_with(slots, |_| {})
}

/// The limits the attack catalog assumes, with a short wall limit to keep the suite fast.
pub fn catalog_limits() -> Limits {
    Limits {
        wall_time: Duration::from_secs(3),
        output_bytes_per_stream: 64 * 1024,
        ..Limits::default()
    }
}

pub fn program(code: &str, limits: Limits) -> Program {
    Program {
        code: code.as_bytes().to_vec(),
        limits,
        ..Default::default()
    }
}

/// Runs `program` and asserts that nothing of the sandbox survived it.
pub fn run(sandbox: &Sandbox, program: Program) -> Outcome {
    let prepared = sandbox.prepare().expect("a slot is prepared");
    let outcome = prepared
        .run(program, None, &mut |_, _| {})
        .expect("the platform runs the program");
    assert_no_survivors(sandbox);
    outcome
}

/// Asserts that no process of the sandbox is alive: its cgroups are empty and no process
/// of its uids runs. bwrap's PID-1 reaper may still be finishing its exit (its namespace is
/// already empty), so a leftover is looked at again for up to a second before failing.
pub fn assert_no_survivors(sandbox: &Sandbox) {
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    loop {
        let left = sandbox.leftover_processes();
        if left.is_empty() {
            return;
        }
        if std::time::Instant::now() >= deadline {
            let described: Vec<String> = left
                .iter()
                .map(|pid| {
                    let status =
                        std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                    format!(
                        "{pid}: {}",
                        status.lines().take(3).collect::<Vec<_>>().join(" ")
                    )
                })
                .collect();
            panic!("processes survived the run: {described:?}");
        }
        std::thread::yield_now();
    }
}

pub fn stdout(outcome: &Outcome) -> String {
    String::from_utf8_lossy(&outcome.stdout).into_owned()
}

pub fn stderr(outcome: &Outcome) -> String {
    String::from_utf8_lossy(&outcome.stderr).into_owned()
}

/// Live processes of the given uids (what a dropped sandbox must not leave behind).
pub fn live_processes_of(uids: std::ops::Range<u32>) -> Vec<i32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let uid = status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|l| l.split_whitespace().next()?.parse().ok());
            !status.contains("State:\tZ") && uid.is_some_and(|u: u32| uids.contains(&u))
        })
        .collect()
}

//! A supervisor that dies mid-run takes its sandbox, and its launch fork server, with it.

use std::{
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use code_remote_sandbox::{Limits, Sandbox, SandboxConfig};

use crate::helpers::{live_processes_of, program, sandbox};

const UID_BASE_VAR: &str = "CODE_REMOTE_TEST_CRASH_UID_BASE";

/// The supervisor that gets killed; runs only as the child process of the test below.
#[test]
#[ignore = "helper: started as a separate process by a_killed_supervisor_leaves_no_sandbox_running"]
fn supervisor_that_gets_killed() {
    let Some(uid_base) = std::env::var(UID_BASE_VAR)
        .ok()
        .and_then(|v| v.parse().ok())
    else {
        return;
    };
    let sandbox = Sandbox::new(SandboxConfig {
        slots: 1,
        uid_base,
        ..Default::default()
    })
    .unwrap();
    let code = "import os, time\nif os.fork() == 0:\n    os.setsid()\nprint('started', flush=True)\ntime.sleep(60)";
    let limits = Limits {
        wall_time: Duration::from_secs(60),
        ..Limits::default()
    };
    sandbox
        .prepare()
        .unwrap()
        .run(program(code, limits), None, &mut |_, chunk| {
            let _ = std::io::stdout()
                .write_all(chunk)
                .and_then(|()| std::io::stdout().flush());
        })
        .unwrap();
}

#[test]
fn a_killed_supervisor_leaves_no_sandbox_running() {
    // Only to learn whether the machine can run sandboxes (prints why not).
    let Some(probe) = sandbox(1) else { return };
    drop(probe);
    let uid_base = 63_000 + (std::process::id() % 500) * 2;
    let mut supervisor = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash::supervisor_that_gets_killed",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(UID_BASE_VAR, uid_base.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Kept open until the helper is dead, so it is killed, not stopped by a broken pipe.
    let mut stdout = BufReader::new(supervisor.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("started") {
        line.clear();
        let read = stdout.read_line(&mut line).unwrap();
        assert!(read > 0, "the helper supervisor never started its program");
    }
    let uids = uid_base..uid_base + 1;
    assert!(
        !live_processes_of(uids.clone()).is_empty(),
        "the sandbox is not running"
    );
    let fork_servers = fork_servers_of(supervisor.id(), uids.clone());
    assert_eq!(
        fork_servers.len(),
        1,
        "the helper's fork server: {fork_servers:?}"
    );
    supervisor.kill().unwrap();
    supervisor.wait().unwrap();
    drop(stdout);
    let deadline = Instant::now() + Duration::from_secs(2);
    while (!live_processes_of(uids.clone()).is_empty()
        || !fork_servers_of(supervisor.id(), uids.clone()).is_empty())
        && Instant::now() < deadline
    {
        std::thread::yield_now();
    }
    assert_eq!(
        fork_servers_of(supervisor.id(), uids.clone()),
        Vec::<i32>::new(),
        "the fork server outlived its supervisor"
    );
    assert_eq!(
        live_processes_of(uids),
        Vec::<i32>::new(),
        "sandbox processes outlived their supervisor"
    );
}

/// Live (not zombie) fork servers started by the supervisor `pid`: their environment names it.
/// (So does the environment of the launchers they clone, which run as slot uids: left out.)
fn fork_servers_of(pid: u32, slot_uids: std::ops::Range<u32>) -> Vec<i32> {
    let launchers = live_processes_of(slot_uids);
    let marker = format!("CODE_REMOTE_SANDBOX_FORK_SERVER={pid}:");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            !launchers.contains(pid)
                && !status
                    .lines()
                    .any(|l| l.starts_with("State:") && l.contains('Z'))
                && environ
                    .split(|&b| b == 0)
                    .any(|var| var.starts_with(marker.as_bytes()))
        })
        .collect()
}

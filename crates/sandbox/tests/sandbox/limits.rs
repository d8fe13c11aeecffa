//! Each limit just under (the program succeeds) and just over (the limit acts).

use std::time::Duration;

use code_remote_sandbox::{Limits, Status};

use crate::helpers::{program, run, sandbox, stderr, stdout};

const MIB: u64 = 1024 * 1024;

fn limits(tweak: impl FnOnce(&mut Limits)) -> Limits {
    let mut limits = Limits {
        wall_time: Duration::from_secs(10),
        ..Limits::default()
    };
    tweak(&mut limits);
    limits
}

#[test]
fn memory_just_under_the_limit_passes_and_just_over_is_killed() {
    let Some(sandbox) = sandbox(1) else { return };
    let at = |mib: u64| {
        format!(
            "x = bytearray({mib} * 1024 * 1024); x[::4096] = b'1' * len(x[::4096]); print(len(x))"
        )
    };
    let limit = limits(|l| l.memory_bytes = 64 * MIB);
    let under = run(&sandbox, program(&at(44), limit.clone()));
    assert_eq!(under.status, Status::Succeeded, "{}", stderr(&under));
    assert!(
        under.peak_memory_bytes >= 44 * MIB && under.peak_memory_bytes <= 64 * MIB,
        "peak {}",
        under.peak_memory_bytes
    );
    let over = run(&sandbox, program(&at(72), limit));
    assert_eq!(over.status, Status::MemoryExceeded);
    assert_eq!(
        over.message.as_deref(),
        Some("killed: memory limit of 64 MiB exceeded")
    );
}

/// A slot's limits are written only when they change: a run after one with other limits gets
/// its own, both ways, in the same slot.
#[test]
fn each_run_of_a_slot_gets_its_own_limits_when_they_change() {
    let Some(sandbox) = sandbox(1) else { return };
    let touch_72_mib =
        "x = bytearray(72 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096]); print(len(x))";
    let tight = limits(|l| l.memory_bytes = 64 * MIB);
    // The sandbox's default limits, which its prepared sandboxes are shaped for: the second
    // run in a row with them writes nothing.
    let roomy = limits(|_| {});
    for (limit, expected) in [
        (&tight, Status::MemoryExceeded),
        (&roomy, Status::Succeeded),
        (&roomy, Status::Succeeded),
        (&tight, Status::MemoryExceeded),
    ] {
        let outcome = run(&sandbox, program(touch_72_mib, limit.clone()));
        assert_eq!(outcome.status, expected, "{}", stderr(&outcome));
    }
}

#[test]
fn tmpfs_pages_count_against_the_memory_limit() {
    let Some(sandbox) = sandbox(1) else { return };
    // 40 MiB in a file plus 40 MiB in memory only fit together in more than 64 MiB.
    let code = "open('/box/f','wb').write(b'1' * (40 << 20)); x = bytearray(40 << 20); x[::4096] = b'1' * len(x[::4096]); print('fit')";
    let outcome = run(
        &sandbox,
        program(code, limits(|l| l.memory_bytes = 64 * MIB)),
    );
    assert_eq!(
        outcome.status,
        Status::MemoryExceeded,
        "{}",
        stdout(&outcome)
    );
}

const FORK_N: &str = "import os, sys, time
n = int(sys.stdin.read())
kids = []
try:
    for i in range(n):
        pid = os.fork()
        if pid == 0:
            time.sleep(5); os._exit(0)
        kids.append(pid)
    print('started', len(kids))
except OSError as e:
    print('refused at', len(kids), e.errno)
for pid in kids: os.kill(pid, 9); os.waitpid(pid, 0)";

#[test]
fn processes_up_to_the_limit_start_and_one_more_is_refused() {
    let Some(sandbox) = sandbox(1) else { return };
    let limit = limits(|l| l.max_processes = 16);
    let with_children = |n: u32| {
        let mut p = program(FORK_N, limit.clone());
        p.stdin = n.to_string().into_bytes();
        run(&sandbox, p)
    };
    // The program itself is one of the 16 tasks.
    let under = with_children(15);
    assert_eq!(stdout(&under), "started 15\n", "{}", stderr(&under));
    let over = with_children(16);
    assert_eq!(stdout(&over), "refused at 15 11\n", "{}", stderr(&over));
}

#[test]
fn output_exactly_at_the_cap_is_kept_and_one_byte_more_is_cut_and_killed() {
    let Some(sandbox) = sandbox(1) else { return };
    let limit = limits(|l| l.output_bytes_per_stream = 1000);
    let exact = run(
        &sandbox,
        program("import sys; sys.stdout.write('x' * 1000)", limit.clone()),
    );
    assert_eq!(
        (exact.status, exact.stdout.len(), exact.stdout_truncated),
        (Status::Succeeded, 1000, false)
    );
    let over = run(
        &sandbox,
        program(
            "import sys, time; sys.stdout.write('x' * 1001); sys.stdout.flush(); time.sleep(30)",
            limit,
        ),
    );
    assert_eq!(
        (over.status, over.stdout.len(), over.stdout_truncated),
        (Status::OutputExceeded, 1000, true)
    );
    assert_eq!(
        over.message.as_deref(),
        Some("killed: output limit of 1000 bytes on stdout exceeded")
    );
    assert!(
        over.wall_time < Duration::from_secs(5),
        "not killed at once"
    );
}

#[test]
fn a_program_ending_before_the_wall_limit_succeeds_and_one_running_past_it_is_killed() {
    let Some(sandbox) = sandbox(1) else { return };
    let limit = limits(|l| l.wall_time = Duration::from_secs(2));
    let under = run(
        &sandbox,
        program("import time; time.sleep(1); print('done')", limit.clone()),
    );
    assert_eq!(under.status, Status::Succeeded);
    let over = run(
        &sandbox,
        program("import time; time.sleep(3); print('done')", limit),
    );
    assert_eq!(over.status, Status::TimedOut);
    assert_eq!(
        over.message.as_deref(),
        Some("killed: time limit of 2 s exceeded")
    );
    assert!(over.wall_time >= Duration::from_secs(2) && over.wall_time < Duration::from_secs(3));
    assert!(over.stdout.is_empty());
}

#[test]
fn open_files_stop_at_the_limit() {
    let Some(sandbox) = sandbox(1) else { return };
    let code = "fs = []\ntry:\n    while True: fs.append(open('/dev/null'))\nexcept OSError as e: print(len(fs) + 3, e.errno)";
    let outcome = run(&sandbox, program(code, limits(|l| l.max_open_files = 32)));
    // 0, 1, 2 and the files opened: the 33rd descriptor is refused with EMFILE.
    assert_eq!(stdout(&outcome), "32 24\n");
}

#[test]
fn files_up_to_the_size_limit_are_written_and_one_byte_more_is_refused() {
    let Some(sandbox) = sandbox(1) else { return };
    let code = "import sys\nn = int(sys.stdin.read())\ntry:\n    with open('f', 'wb') as f: f.write(b'1' * n)\n    print('wrote', n)\nexcept OSError as e: print(e.errno)";
    let limit = limits(|l| l.max_file_size_bytes = MIB);
    for (size, expected) in [
        (MIB, format!("wrote {MIB}\n")),
        (MIB + 1, "27\n".to_string()),
    ] {
        let mut p = program(code, limit.clone());
        p.stdin = size.to_string().into_bytes();
        assert_eq!(stdout(&run(&sandbox, p)), expected);
    }
}

#[test]
fn the_working_directory_holds_its_size_and_no_more() {
    let Some(sandbox) = sandbox(1) else { return };
    // A disk size other than the default also exercises re-shaping a prepared sandbox.
    let limit = limits(|l| l.disk_bytes = 4 * MIB);
    let write = |mib: u64| {
        format!(
            "try:\n    with open('f', 'wb') as f: f.write(b'1' * ({mib} << 20))\n    print('ok')\nexcept OSError as e: print(e.errno)"
        )
    };
    assert_eq!(
        stdout(&run(&sandbox, program(&write(3), limit.clone()))),
        "ok\n"
    );
    assert_eq!(stdout(&run(&sandbox, program(&write(5), limit))), "28\n");
}

#[test]
fn cpu_share_is_limited_by_the_quota() {
    let Some(sandbox) = sandbox(1) else { return };
    let code = "import time\nend = time.monotonic() + 1.5\nwhile time.monotonic() < end: pass";
    let outcome = run(&sandbox, program(code, limits(|l| l.cpu_cores = 0.25)));
    assert_eq!(outcome.status, Status::Succeeded);
    // A busy loop gets about a quarter of one core; generous bounds keep this stable.
    assert!(
        outcome.cpu_time < outcome.wall_time.mul_f64(0.6),
        "cpu {:?} wall {:?}",
        outcome.cpu_time,
        outcome.wall_time
    );
}

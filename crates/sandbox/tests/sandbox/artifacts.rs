//! Files from `/box/out/` come back, and the attacks on their collection give an error or a
//! truncation: never a host file, never a hang.

use std::time::{Duration, Instant};

use code_remote_sandbox::{ArtifactLimits, Outcome, Sandbox, Status};

use crate::helpers::{catalog_limits, program, run, sandbox, sandbox_with, stderr};

fn run_code(sandbox: &Sandbox, code: &str) -> Outcome {
    let started = Instant::now();
    let outcome = run(sandbox, program(code, catalog_limits()));
    // Never a hang: the collection happens after the run, within moments.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    outcome
}

fn names(outcome: &Outcome) -> Vec<&str> {
    outcome
        .artifacts
        .files
        .iter()
        .map(|a| a.name.as_str())
        .collect()
}

#[test]
fn files_written_to_box_out_come_back_in_name_order() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run_code(
        &sandbox,
        "open('/box/out/b.txt', 'w').write('bee')\nopen('/box/out/a.csv', 'w').write('x,y\\n1,2\\n')",
    );
    assert_eq!(outcome.status, Status::Succeeded, "{}", stderr(&outcome));
    assert_eq!(names(&outcome), ["a.csv", "b.txt"]);
    assert_eq!(outcome.artifacts.files[1].data, b"bee");
    assert!(!outcome.artifacts.truncated);
}

#[test]
fn a_program_that_writes_nothing_hands_back_nothing() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run_code(&sandbox, "print('hi')");
    assert!(outcome.artifacts.files.is_empty());
    assert!(!outcome.artifacts.truncated);
}

#[test]
fn files_of_a_program_that_crashed_or_timed_out_come_back_too() {
    let Some(sandbox) = sandbox(1) else { return };
    let crashed = run_code(
        &sandbox,
        "open('/box/out/partial.txt', 'w').write('so far')\n1/0",
    );
    assert_eq!(crashed.status, Status::Failed);
    assert_eq!(names(&crashed), ["partial.txt"]);
    let timed_out = run_code(
        &sandbox,
        "open('/box/out/progress.txt', 'w').write('1')\nwhile True: pass",
    );
    assert_eq!(timed_out.status, Status::TimedOut);
    assert_eq!(names(&timed_out), ["progress.txt"]);
}

#[test]
fn a_symlink_to_a_host_file_is_not_followed() {
    let Some(sandbox) = sandbox(1) else { return };
    // /etc/shadow does not exist inside; the target is resolved only if the host follows it.
    let outcome = run_code(
        &sandbox,
        "import os\nos.symlink('/etc/shadow', '/box/out/shadow')\nos.symlink('/proc/1/root/etc/passwd', '/box/out/passwd')",
    );
    assert!(outcome.artifacts.files.is_empty(), "{:?}", names(&outcome));
    assert!(outcome.artifacts.truncated);
    assert!(
        outcome
            .artifacts
            .skipped
            .iter()
            .all(|s| s.contains("symbolic link")),
        "{:?}",
        outcome.artifacts.skipped
    );
}

#[test]
fn a_symlink_to_dev_zero_and_a_device_node_are_not_read() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run_code(
        &sandbox,
        "import os, stat\nos.symlink('/dev/zero', '/box/out/zero')\n\
         try:\n    os.mknod('/box/out/zero2', stat.S_IFCHR | 0o666, os.makedev(1, 5))\n\
         except OSError as e:\n    print('mknod:', e.errno)",
    );
    assert!(outcome.artifacts.files.is_empty(), "{:?}", names(&outcome));
    assert!(
        String::from_utf8_lossy(&outcome.stdout).contains("mknod:"),
        "mknod of a device must fail inside"
    );
}

#[test]
fn a_hard_link_is_not_collected() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run_code(
        &sandbox,
        "import os\nos.link('/box/main.py', '/box/out/linked.py')\n\
         try:\n    os.link('/usr/bin/python3', '/box/out/python')\nexcept OSError as e:\n    print('link across:', e.errno)",
    );
    assert!(outcome.artifacts.files.is_empty(), "{:?}", names(&outcome));
    assert!(
        outcome
            .artifacts
            .skipped
            .iter()
            .any(|s| s.contains("hard link")),
        "{:?}",
        outcome.artifacts.skipped
    );
    assert!(String::from_utf8_lossy(&outcome.stdout).contains("link across: 18")); // EXDEV
}

#[test]
fn a_fifo_does_not_block_the_collection() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run_code(
        &sandbox,
        "import os\nos.mkfifo('/box/out/pipe')\nopen('/box/out/after.txt', 'w').write('ok')",
    );
    assert_eq!(names(&outcome), ["after.txt"]);
    assert!(outcome.artifacts.skipped.iter().any(|s| s.contains("FIFO")));
}

#[test]
fn a_sparse_ten_gib_file_is_refused_inside_and_a_large_one_is_not_read() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run_code(
        &sandbox,
        "import os\nf = open('/box/out/huge.bin', 'wb')\n\
         try:\n    f.truncate(10 << 30)\nexcept OSError as e:\n    print('truncate:', e.errno)\n\
         f.close()\nwith open('/box/out/big.bin', 'wb') as g:\n    g.truncate(20 << 20)\n",
    );
    // RLIMIT_FSIZE (32 MiB) stops the 10 GiB file; the 20 MiB sparse one is over the budget.
    assert!(String::from_utf8_lossy(&outcome.stdout).contains("truncate: 27")); // EFBIG
    assert_eq!(names(&outcome), ["huge.bin"]);
    assert!(outcome.artifacts.files[0].data.is_empty());
    assert!(outcome.artifacts.truncated);
    assert!(
        outcome
            .artifacts
            .skipped
            .iter()
            .any(|s| s.starts_with("big.bin") && s.contains("artifact limit")),
        "{:?}",
        outcome.artifacts.skipped
    );
}

#[test]
fn ten_thousand_files_stop_at_the_limits() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run_code(
        &sandbox,
        "for i in range(10000):\n    open('/box/out/f%05d.txt' % i, 'w').write('x')",
    );
    assert_eq!(outcome.status, Status::Succeeded, "{}", stderr(&outcome));
    assert_eq!(outcome.artifacts.files.len(), 16);
    // Only the first entries the directory lists are looked at (tmpfs lists newest first),
    // and those kept are in name order.
    let kept = names(&outcome);
    assert!(kept.windows(2).all(|w| w[0] < w[1]), "{kept:?}");
    assert!(
        kept.iter()
            .all(|n| n.starts_with('f') && n.ends_with(".txt"))
    );
    assert!(outcome.artifacts.truncated);
    assert!(outcome.artifacts.skipped.len() <= 8);
}

#[test]
fn names_with_control_characters_are_sanitised() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run_code(
        &sandbox,
        "open('/box/out/a\\nb\\x1b[2J.txt', 'w').write('1')\nopen('/box/out/..hidden', 'w').write('2')",
    );
    assert_eq!(names(&outcome), ["_.hidden", "a_b__2J.txt"]);
}

#[test]
fn writing_past_the_byte_limit_truncates_the_set() {
    let Some(sandbox) = sandbox_with(1, |config| {
        config.artifacts = ArtifactLimits {
            max_files: 16,
            max_total_bytes: 1000,
        };
    }) else {
        return;
    };
    let outcome = run_code(
        &sandbox,
        "for name in 'abc':\n    open('/box/out/%s.bin' % name, 'wb').write(b'x' * 400)",
    );
    assert_eq!(names(&outcome), ["a.bin", "b.bin"]);
    assert!(outcome.artifacts.truncated);
    assert!(outcome.artifacts.skipped[0].starts_with("c.bin"));
}

#[test]
fn a_replaced_out_directory_does_not_lead_the_host_elsewhere() {
    let Some(sandbox) = sandbox(1) else { return };
    // The host holds the original directory: renaming it and putting a symlink in its place
    // changes nothing for the collector.
    let outcome = run_code(
        &sandbox,
        "import os\nopen('/box/out/kept.txt', 'w').write('k')\nos.rename('/box/out', '/box/old')\n\
         os.symlink('/usr/bin', '/box/out')",
    );
    assert_eq!(names(&outcome), ["kept.txt"]);
}

#[test]
fn the_out_directory_is_fresh_for_every_run() {
    let Some(sandbox) = sandbox(1) else { return };
    let first = run_code(&sandbox, "open('/box/out/one.txt', 'w').write('1')");
    assert_eq!(names(&first), ["one.txt"]);
    let second = run_code(&sandbox, "import os\nprint(os.listdir('/box/out'))");
    assert!(second.artifacts.files.is_empty());
    assert_eq!(String::from_utf8_lossy(&second.stdout).trim(), "[]");
}

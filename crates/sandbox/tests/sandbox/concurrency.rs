//! Several sandboxes at once, and runs one after another in the same slot.

use std::{thread, time::Duration};

use code_remote_sandbox::{Limits, Status};

use crate::{
    catalog,
    helpers::{assert_no_survivors, program, sandbox, stdout},
};

#[test]
fn eight_sandboxes_run_at_once_without_interference() {
    let Some(sandbox) = sandbox(8) else { return };
    let code = "import sys, os, time
me = sys.stdin.read()
open('/box/me', 'w').write(me); open('/tmp/me', 'w').write(me)
time.sleep(0.5)
print(me, open('/box/me').read(), open('/tmp/me').read(), sorted(n for n in os.listdir('/box') if not n.startswith('.')), len([p for p in os.listdir('/proc') if p.isdigit()]))";
    let outcomes: Vec<_> = thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let sandbox = &sandbox;
                scope.spawn(move || {
                    let mut p = program(
                        code,
                        Limits {
                            wall_time: Duration::from_secs(20),
                            ..Limits::default()
                        },
                    );
                    p.stdin = format!("job{i}").into_bytes();
                    let prepared = sandbox.prepare().unwrap();
                    (
                        i,
                        prepared.uid(),
                        prepared.run(p, None, &mut |_, _| {}).unwrap(),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut uids: Vec<u32> = outcomes.iter().map(|(_, uid, _)| *uid).collect();
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), 8, "each concurrent run has its own uid");
    for (i, _, outcome) in outcomes {
        assert_eq!(outcome.status, Status::Succeeded);
        assert_eq!(
            stdout(&outcome),
            format!("job{i} job{i} job{i} ['main.py', 'me', 'out'] 2\n")
        );
    }
    assert_no_survivors(&sandbox);
}

fn cross_job_case_twice_in_a_row(id: &str) {
    let Some(sandbox) = sandbox(1) else { return };
    for _ in 0..2 {
        let outcome = catalog::run_case(&sandbox, id);
        let check = crate::expectations::get(id).unwrap();
        check(&outcome).unwrap_or_else(|why| panic!("{id}: {why}: {}", stdout(&outcome)));
    }
}

fn cross_job_case_concurrently(id: &str) {
    let Some(sandbox) = sandbox(2) else { return };
    thread::scope(|scope| {
        let runs: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| catalog::run_case(&sandbox, id)))
            .collect();
        for run in runs {
            let outcome = run.join().unwrap();
            crate::expectations::get(id).unwrap()(&outcome)
                .unwrap_or_else(|why| panic!("{id}: {why}"));
        }
    });
    assert_no_survivors(&sandbox);
}

#[test]
fn x_01_files_do_not_persist_between_two_runs_in_the_same_slot() {
    cross_job_case_twice_in_a_row("X-01");
}

#[test]
fn x_02_sysv_ipc_does_not_persist_between_two_runs_in_the_same_slot() {
    cross_job_case_twice_in_a_row("X-02");
}

#[test]
fn x_03_file_locks_behave_the_same_on_a_second_run() {
    cross_job_case_twice_in_a_row("X-03");
}

#[test]
fn x_01_concurrent_runs_do_not_see_each_others_files() {
    cross_job_case_concurrently("X-01");
}

#[test]
fn x_02_concurrent_runs_do_not_share_sysv_ipc() {
    cross_job_case_concurrently("X-02");
}

#[test]
fn x_03_concurrent_runs_can_both_lock_a_shared_read_only_file() {
    cross_job_case_concurrently("X-03");
}

#[test]
fn warm_sandboxes_are_prepared_ahead_and_torn_down_with_the_sandbox() {
    let Some(sandbox) = crate::helpers::sandbox_with(2, |c| c.warm = 1) else {
        return;
    };
    let uids = sandbox.slot_uid(0)..sandbox.slot_uid(1) + 1;
    // One sandbox is already started before anyone asks for it.
    assert!(
        !sandbox.leftover_processes().is_empty(),
        "no warm sandbox is running"
    );
    for i in 0..3 {
        let outcome = sandbox
            .prepare()
            .unwrap()
            .run(
                program(&format!("print({i})"), Limits::default()),
                None,
                &mut |_, _| {},
            )
            .unwrap();
        assert_eq!(stdout(&outcome), format!("{i}\n"));
    }
    drop(sandbox);
    // A refill may be starting when the sandbox is dropped; the warmer tears it down as soon as
    // it is stocked, which on a loaded machine (the whole suite runs in parallel on two cores)
    // can take a few seconds.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !crate::helpers::live_processes_of(uids.clone()).is_empty()
        && std::time::Instant::now() < deadline
    {
        thread::yield_now();
    }
    assert_eq!(
        crate::helpers::live_processes_of(uids),
        Vec::<i32>::new(),
        "a warm sandbox outlived its Sandbox"
    );
}

#[test]
fn two_sandboxes_on_one_host_never_share_a_slot_uid() {
    // Like `serve` and `run` on one host: the same uid base, each its own supervisor.
    let base = 66_000 + (std::process::id() % 500) * 8;
    let Some(first) = crate::helpers::sandbox_with(2, |c| c.uid_base = base) else {
        return;
    };
    let second = crate::helpers::sandbox_with(2, |c| c.uid_base = base).unwrap();
    let uids = |s: &code_remote_sandbox::Sandbox| [s.slot_uid(0), s.slot_uid(1)];
    assert_eq!(uids(&first), [base, base + 1]);
    assert_eq!(uids(&second), [base + 2, base + 3]);
    let outcome = crate::helpers::run(
        &second,
        program("import os; print(os.getuid())", Limits::default()),
    );
    assert_eq!(stdout(&outcome), format!("{}\n", base + 2));
    drop(first);
    let third = crate::helpers::sandbox_with(1, |c| c.uid_base = base).unwrap();
    assert_eq!(third.slot_uid(0), base, "a released uid is taken again");
}

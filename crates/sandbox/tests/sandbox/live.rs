//! Live output, interactive stdin and cancellation.

use std::{sync::mpsc, thread, time::Duration};

use code_remote_sandbox::{Limits, MAX_PENDING_STDIN, Status, StdinFull, Stream, controller};

use crate::helpers::{assert_no_survivors, program, sandbox, stdout};

fn limits() -> Limits {
    Limits {
        wall_time: Duration::from_secs(20),
        ..Limits::default()
    }
}

#[test]
fn output_arrives_in_chunks_while_the_program_waits_for_input() {
    let Some(sandbox) = sandbox(1) else { return };
    let (control, receiver) = controller();
    let mut p = program(
        "import sys\nprint('first', flush=True)\nline = sys.stdin.readline()\nprint('got', line.strip())",
        limits(),
    );
    p.interactive_stdin = true;
    let mut chunks: Vec<(Stream, Vec<u8>)> = Vec::new();
    let outcome = sandbox
        .prepare()
        .unwrap()
        .run(p, Some(receiver), &mut |stream, chunk| {
            // The program cannot finish before this answer, so this chunk arrived live.
            if chunk.starts_with(b"first") {
                control.write_stdin(b"answer\n".to_vec()).unwrap();
            }
            chunks.push((stream, chunk.to_vec()));
        })
        .unwrap();
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(chunks[0], (Stream::Stdout, b"first\n".to_vec()));
    assert_eq!(stdout(&outcome), "first\ngot answer\n");
    assert_no_survivors(&sandbox);
}

#[test]
fn input_is_answered_mid_run_and_closing_stdin_gives_end_of_file() {
    let Some(sandbox) = sandbox(1) else { return };
    let (control, receiver) = controller();
    let code = "name = input('name? ')\nprint('hello', name)\ntry:\n    input()\nexcept EOFError:\n    print('eof')";
    let mut p = program(code, limits());
    p.interactive_stdin = true;
    let mut seen = String::new();
    let outcome = sandbox
        .prepare()
        .unwrap()
        .run(p, Some(receiver), &mut |_, chunk| {
            seen.push_str(&String::from_utf8_lossy(chunk));
            if seen.ends_with("name? ") {
                control.write_stdin(b"Ada\n".to_vec()).unwrap();
            }
            if seen.ends_with("hello Ada\n") {
                control.close_stdin();
            }
        })
        .unwrap();
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(stdout(&outcome), "name? hello Ada\neof\n");
}

#[test]
fn stdin_given_up_front_is_read_and_then_ends() {
    let Some(sandbox) = sandbox(1) else { return };
    let mut p = program(
        "import sys; print(sys.stdin.read().upper(), end='')",
        limits(),
    );
    p.stdin = b"abc\ndef\n".to_vec();
    let outcome = sandbox
        .prepare()
        .unwrap()
        .run(p, None, &mut |_, _| {})
        .unwrap();
    assert_eq!(stdout(&outcome), "ABC\nDEF\n");
}

#[test]
fn a_run_is_cancelled_from_another_thread() {
    let Some(sandbox) = sandbox(1) else { return };
    let (control, receiver) = controller();
    let (started_tx, started_rx) = mpsc::channel();
    let canceller = thread::spawn(move || {
        started_rx.recv().unwrap();
        control.cancel();
    });
    let p = program(
        "import time\nprint('started', flush=True)\ntime.sleep(60)",
        limits(),
    );
    let outcome = sandbox
        .prepare()
        .unwrap()
        .run(p, Some(receiver), &mut |_, _| {
            let _ = started_tx.send(());
        })
        .unwrap();
    canceller.join().unwrap();
    assert_eq!(outcome.status, Status::Cancelled);
    assert_eq!(outcome.message.as_deref(), Some("cancelled"));
    assert!(outcome.wall_time < Duration::from_secs(10));
    assert_no_survivors(&sandbox);
}

#[test]
fn a_cancel_sent_before_the_run_starts_stops_it_at_once() {
    let Some(sandbox) = sandbox(1) else { return };
    let (control, receiver) = controller();
    control.cancel();
    let p = program("import time; time.sleep(60)", limits());
    let outcome = sandbox
        .prepare()
        .unwrap()
        .run(p, Some(receiver), &mut |_, _| {})
        .unwrap();
    assert_eq!(outcome.status, Status::Cancelled);
    assert_no_survivors(&sandbox);
}

#[test]
fn a_prepared_sandbox_dropped_unused_leaves_nothing_and_frees_its_slot() {
    let Some(sandbox) = sandbox(1) else { return };
    drop(sandbox.prepare().unwrap());
    assert_no_survivors(&sandbox);
    // The only slot is free again, so this does not block.
    let outcome = sandbox
        .prepare()
        .unwrap()
        .run(program("print(1)", limits()), None, &mut |_, _| {})
        .unwrap();
    assert_eq!(stdout(&outcome), "1\n");
}

#[test]
fn stdin_a_program_does_not_read_is_refused_beyond_the_limit_instead_of_buffered() {
    let Some(sandbox) = sandbox(1) else { return };
    let (control, receiver) = controller();
    let mut p = program(
        "import time\nprint('ready', flush=True)\ntime.sleep(60)",
        limits(),
    );
    p.interactive_stdin = true;
    let chunk = vec![b'x'; 64 * 1024];
    let mut accepted = 0;
    let mut refusal = None;
    let outcome = sandbox
        .prepare()
        .unwrap()
        .run(p, Some(receiver), &mut |_, _| {
            // This runs on the supervisor's thread, so nothing moves into the pipe meanwhile:
            // what is accepted here is exactly what the supervisor holds.
            while refusal.is_none() {
                match control.write_stdin(chunk.clone()) {
                    Ok(()) => accepted += chunk.len(),
                    Err(refused) => refusal = Some(refused),
                }
            }
            control.cancel();
        })
        .unwrap();
    assert_eq!(accepted, MAX_PENDING_STDIN);
    assert_eq!(
        refusal,
        Some(StdinFull {
            pending: MAX_PENDING_STDIN,
            written: chunk.len()
        })
    );
    assert_eq!(outcome.status, Status::Cancelled);
    assert_no_survivors(&sandbox);
}

#[test]
fn stdin_larger_than_the_limit_reaches_a_program_that_reads_it() {
    let Some(sandbox) = sandbox(1) else { return };
    let (control, receiver) = controller();
    let mut p = program("import sys\nprint(len(sys.stdin.buffer.read()))", limits());
    p.interactive_stdin = true;
    let writer = thread::spawn(move || {
        control.write_stdin_waiting(&vec![b'x'; 3 * MAX_PENDING_STDIN]);
        control.close_stdin();
    });
    let outcome = sandbox
        .prepare()
        .unwrap()
        .run(p, Some(receiver), &mut |_, _| {})
        .unwrap();
    writer.join().unwrap();
    assert_eq!(stdout(&outcome), format!("{}\n", 3 * MAX_PENDING_STDIN));
}

//! Leases: heartbeats, completion by the lease owner only, recovery of jobs whose worker
//! stopped responding, and release on shutdown.

use std::time::Duration;

use code_remote_core::{JobStatus, Outcome};
use code_remote_store::{Error, Lease};

use crate::helpers::{NO_CAPS, TestDb, eventually, someone, spec, worker};

crate::on_both_backends!(
    a_heartbeat_keeps_the_lease_and_is_refused_to_other_workers,
    only_the_lease_owner_completes_a_job_and_only_once,
    completing_with_a_status_that_is_not_terminal_is_refused,
    an_expired_lease_is_requeued_then_failed_after_the_last_attempt,
    a_worker_whose_lease_expired_can_neither_heartbeat_nor_complete,
    a_released_job_is_queued_again_without_counting_the_attempt,
    an_absurdly_long_lease_is_capped_not_a_crash,
    nul_characters_in_a_job_are_stored_as_replacement_characters,
);

const SHORT: u64 = 100;

async fn a_heartbeat_keeps_the_lease_and_is_refused_to_other_workers(db: &TestDb) {
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    let lease = Duration::from_millis(400);
    db.store
        .claim(&worker("w1", 400, 0))
        .await
        .unwrap()
        .unwrap();
    // Heartbeats over twice the lease: the job stays running while they continue.
    for _ in 0..8 {
        let held = db.store.heartbeat(job, "w1", lease).await.unwrap();
        assert_eq!(
            held,
            Lease::Held {
                cancel_requested: false
            }
        );
        db.store.requeue_expired(3).await.unwrap();
        assert_eq!(
            db.store.job(job).await.unwrap().unwrap().status,
            JobStatus::Running
        );
        tokio::time::sleep(lease / 4).await;
    }
    assert_eq!(
        db.store
            .heartbeat(job, "w2", Duration::from_millis(SHORT))
            .await
            .unwrap(),
        Lease::Lost
    );
    db.store
        .complete(job, "w1", JobStatus::Succeeded, &Outcome::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        db.store
            .heartbeat(job, "w1", Duration::from_millis(SHORT))
            .await
            .unwrap(),
        Lease::Lost
    );
}

async fn only_the_lease_owner_completes_a_job_and_only_once(db: &TestDb) {
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    db.store
        .claim(&worker("w1", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    let outcome = Outcome {
        exit_code: Some(3),
        message: Some("exited with status 3".into()),
        stdout: "out".into(),
        stderr: "err".into(),
        stdout_truncated: true,
        wall_time_ms: 15,
        cpu_time_ms: 9,
        peak_memory_kib: 9120,
        ..Outcome::default()
    };
    assert_eq!(
        db.store
            .complete(job, "w2", JobStatus::Failed, &outcome)
            .await
            .unwrap(),
        None
    );
    let done = db
        .store
        .complete(job, "w1", JobStatus::Failed, &outcome)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (done.status, done.exit_code, done.signal),
        (JobStatus::Failed, Some(3), None)
    );
    assert_eq!((done.stdout.as_str(), done.stderr.as_str()), ("out", "err"));
    assert_eq!(
        (done.stdout_truncated, done.stderr_truncated),
        (true, false)
    );
    assert_eq!(
        (done.wall_time_ms, done.cpu_time_ms, done.peak_memory_kib),
        (Some(15), Some(9), Some(9120))
    );
    assert_eq!(done.message.as_deref(), Some("exited with status 3"));
    assert!(done.finished_at.is_some() && done.started_at.is_some());
    assert_eq!(db.store.job(job).await.unwrap(), Some(done));
    let again = db
        .store
        .complete(job, "w1", JobStatus::Succeeded, &Outcome::default())
        .await
        .unwrap();
    assert_eq!(again, None, "a job must never finish twice");
    assert_eq!(
        db.store.job(job).await.unwrap().unwrap().status,
        JobStatus::Failed
    );
}

async fn completing_with_a_status_that_is_not_terminal_is_refused(db: &TestDb) {
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    db.store
        .claim(&worker("w1", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    let refused = db
        .store
        .complete(job, "w1", JobStatus::Queued, &Outcome::default())
        .await;
    assert!(
        matches!(refused, Err(Error::NotTerminal(JobStatus::Queued))),
        "{refused:?}"
    );
    assert_eq!(
        db.store.job(job).await.unwrap().unwrap().status,
        JobStatus::Running
    );
}

async fn an_expired_lease_is_requeued_then_failed_after_the_last_attempt(db: &TestDb) {
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    let first = db
        .store
        .claim(&worker("w1", SHORT, 0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.attempt, 1);
    let became_terminal = eventually(
        "the first lease expires and the job is queued again",
        || async {
            let terminal = db.store.requeue_expired(2).await.unwrap();
            let status = db.store.job(job).await.unwrap().unwrap().status;
            (status == JobStatus::Queued).then_some(terminal)
        },
    )
    .await;
    assert!(became_terminal.is_empty());
    assert_eq!(db.store.job(job).await.unwrap().unwrap().attempts, 1);

    let second = db
        .store
        .claim(&worker("w2", SHORT, 0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((second.execution.id, second.attempt), (job, 2));
    let failed = eventually("the second lease expires and the job fails", || async {
        let terminal = db.store.requeue_expired(2).await.unwrap();
        (!terminal.is_empty()).then_some(terminal)
    })
    .await;
    assert_eq!(failed.len(), 1);
    assert_eq!(
        (failed[0].id, failed[0].status),
        (job, JobStatus::InternalError)
    );
    assert_eq!(
        failed[0].message.as_deref(),
        Some("the worker running this job stopped responding (2 attempts)")
    );
    assert!(failed[0].finished_at.is_some());
    assert_eq!(db.store.job(job).await.unwrap().as_ref(), Some(&failed[0]));
    assert!(
        db.store
            .claim(&worker("w3", SHORT, 0))
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_worker_whose_lease_expired_can_neither_heartbeat_nor_complete(db: &TestDb) {
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    db.store
        .claim(&worker("slow", SHORT, 0))
        .await
        .unwrap()
        .unwrap();
    eventually("the lease expires and the job is queued again", || async {
        db.store.requeue_expired(5).await.unwrap();
        (db.store.job(job).await.unwrap().unwrap().status == JobStatus::Queued).then_some(())
    })
    .await;
    db.store
        .claim(&worker("fast", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        db.store
            .heartbeat(job, "slow", Duration::from_millis(SHORT))
            .await
            .unwrap(),
        Lease::Lost
    );
    assert_eq!(
        db.store
            .complete(job, "slow", JobStatus::Succeeded, &Outcome::default())
            .await
            .unwrap(),
        None
    );
    let done = db
        .store
        .complete(job, "fast", JobStatus::Succeeded, &Outcome::default())
        .await
        .unwrap();
    assert_eq!(
        done.map(|execution| (execution.status, execution.attempts)),
        Some((JobStatus::Succeeded, 2))
    );
}

async fn a_released_job_is_queued_again_without_counting_the_attempt(db: &TestDb) {
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    db.store
        .claim(&worker("w1", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    assert!(!db.store.release(job, "w2").await.unwrap(), "not w2's job");
    assert!(db.store.release(job, "w1").await.unwrap());
    let released = db.store.job(job).await.unwrap().unwrap();
    assert_eq!(
        (released.status, released.attempts, released.started_at),
        (JobStatus::Queued, 0, None)
    );
    assert!(
        !db.store.release(job, "w1").await.unwrap(),
        "no longer running"
    );
    let again = db
        .store
        .claim(&worker("w3", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.execution.id, again.attempt), (job, 1));
}

async fn an_absurdly_long_lease_is_capped_not_a_crash(db: &TestDb) {
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    let mut opts = worker("w", 0, 0);
    opts.lease = Duration::MAX;
    db.store.claim(&opts).await.unwrap().unwrap();
    let held = db.store.heartbeat(job, "w", Duration::MAX).await.unwrap();
    assert_eq!(
        held,
        Lease::Held {
            cancel_requested: false
        }
    );
    assert!(db.store.requeue_expired(3).await.unwrap().is_empty());
    assert_eq!(
        db.store.job(job).await.unwrap().unwrap().status,
        JobStatus::Running
    );
}

async fn nul_characters_in_a_job_are_stored_as_replacement_characters(db: &TestDb) {
    let mut job_spec = spec("print('a\0b')");
    job_spec.stdin = "in\0put".into();
    let queued = db
        .store
        .enqueue(someone(), &job_spec, NO_CAPS)
        .await
        .unwrap();
    assert_eq!(
        (queued.code.as_str(), queued.stdin.as_str()),
        ("print('a\u{FFFD}b')", "in\u{FFFD}put")
    );
    db.store
        .claim(&worker("w", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    let outcome = Outcome {
        exit_code: Some(0),
        stdout: "a\0b\n".into(),
        stderr: "\0".into(),
        message: Some("odd\0".into()),
        ..Outcome::default()
    };
    let done = db
        .store
        .complete(queued.id, "w", JobStatus::Succeeded, &outcome)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (done.stdout.as_str(), done.stderr.as_str()),
        ("a\u{FFFD}b\n", "\u{FFFD}")
    );
    assert_eq!(done.message.as_deref(), Some("odd\u{FFFD}"));
}

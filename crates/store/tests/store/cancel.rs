//! Cancellation of queued, running, finished and unknown jobs.

use std::time::Duration;

use std::collections::HashSet;

use code_remote_core::{JobId, JobStatus, Outcome};
use code_remote_store::{CancelResult, Lease};

use crate::helpers::{NO_CAPS, TestDb, someone, spec, worker};

crate::on_both_backends!(
    a_queued_job_is_cancelled_at_once_and_never_claimed,
    a_running_job_gets_a_cancel_request_its_worker_sees,
    a_finished_job_cannot_be_cancelled,
    an_unknown_job_is_not_found,
    a_released_job_with_a_cancel_request_ends_cancelled,
    cancels_racing_claims_never_cancel_a_job_a_worker_holds,
);

async fn a_queued_job_is_cancelled_at_once_and_never_claimed(db: &TestDb) {
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    let CancelResult::Cancelled(cancelled) = db.store.request_cancel(job).await.unwrap() else {
        panic!("a queued job must be cancelled at once");
    };
    assert_eq!(
        (cancelled.id, cancelled.status),
        (job, JobStatus::Cancelled)
    );
    assert!(cancelled.finished_at.is_some() && cancelled.message.is_some());
    assert!(
        db.store
            .claim(&worker("w", 60_000, 0))
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        db.store.request_cancel(job).await.unwrap(),
        CancelResult::AlreadyFinished(_)
    ));
}

async fn a_running_job_gets_a_cancel_request_its_worker_sees(db: &TestDb) {
    let job = db.running_job("1").await;
    assert_eq!(
        db.store.request_cancel(job).await.unwrap(),
        CancelResult::Requested
    );
    let lease = db
        .store
        .heartbeat(job, "w", Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(
        lease,
        Lease::Held {
            cancel_requested: true
        }
    );
    let done = db
        .store
        .complete(job, "w", JobStatus::Cancelled, &Outcome::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.status, JobStatus::Cancelled);
}

async fn a_finished_job_cannot_be_cancelled(db: &TestDb) {
    let job = db.running_job("1").await;
    db.store
        .complete(job, "w", JobStatus::Succeeded, &Outcome::default())
        .await
        .unwrap()
        .unwrap();
    let CancelResult::AlreadyFinished(finished) = db.store.request_cancel(job).await.unwrap()
    else {
        panic!("a finished job cannot be cancelled");
    };
    assert_eq!(finished.status, JobStatus::Succeeded);
}

async fn an_unknown_job_is_not_found(db: &TestDb) {
    assert_eq!(
        db.store.request_cancel(JobId::new()).await.unwrap(),
        CancelResult::NotFound
    );
}

async fn a_released_job_with_a_cancel_request_ends_cancelled(db: &TestDb) {
    let job = db.running_job("1").await;
    db.store.request_cancel(job).await.unwrap();
    assert!(db.store.release(job, "w").await.unwrap());
    let released = db.store.job(job).await.unwrap().unwrap();
    assert_eq!(released.status, JobStatus::Cancelled);
    assert!(released.finished_at.is_some());
}

async fn cancels_racing_claims_never_cancel_a_job_a_worker_holds(db: &TestDb) {
    let mut jobs = Vec::new();
    for _ in 0..40 {
        jobs.push(
            db.store
                .enqueue(someone(), &spec("1"), NO_CAPS)
                .await
                .unwrap()
                .id,
        );
    }
    let claimer = {
        let store = db.store.clone();
        tokio::spawn(async move {
            let mut claimed = HashSet::new();
            while let Some(job) = store.claim(&worker("w", 60_000, 0)).await.unwrap() {
                claimed.insert(job.execution.id);
            }
            claimed
        })
    };
    let canceller = {
        let (store, jobs) = (db.store.clone(), jobs.clone());
        tokio::spawn(async move {
            let mut results = Vec::new();
            for job in jobs.into_iter().rev() {
                results.push((job, store.request_cancel(job).await.unwrap()));
            }
            results
        })
    };
    let claimed = claimer.await.unwrap();
    for (job, result) in canceller.await.unwrap() {
        let status = db.store.job(job).await.unwrap().unwrap().status;
        match result {
            CancelResult::Cancelled(_) => {
                assert!(!claimed.contains(&job), "a cancelled job was claimed");
                assert_eq!(status, JobStatus::Cancelled);
            }
            CancelResult::Requested => {
                assert!(
                    claimed.contains(&job),
                    "a cancel request for a job nobody runs"
                );
                assert_eq!(status, JobStatus::Running);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

//! Job kinds and the daily CPU quota: open jobs reserve their limit, measurements share the
//! queue with executions.

use chrono::{Duration, Utc};
use code_remote_core::{JobSpec, JobStatus, Outcome, UserId};
use code_remote_store::{CpuQuota, Error, JobKind, JobQuery, NewJob, QueueCaps, QueueScope};

use crate::helpers::{NO_CAPS, TestDb, someone, spec, worker};

crate::on_both_backends!(
    open_jobs_reserve_their_limit_against_the_cpu_quota,
    the_cpu_quota_holds_under_concurrent_enqueues,
    measurements_share_the_queue_but_not_the_history,
);

/// A job that may use one CPU-second: 1,000 ms on one core.
fn one_second() -> JobSpec {
    let mut job = spec("1");
    job.limits.time_limit_ms = 1_000;
    job.limits.cpu_cores = 1.0;
    job
}

fn quota(limit_ms: u64) -> CpuQuota {
    CpuQuota {
        limit_ms,
        since: Utc::now() - Duration::hours(1),
    }
}

fn new_job(user: UserId, kind: JobKind, spec: &JobSpec, limit_ms: u64) -> NewJob<'_> {
    NewJob {
        user,
        kind,
        spec,
        cpu_quota: Some(quota(limit_ms)),
        callback: None,
    }
}

async fn open_jobs_reserve_their_limit_against_the_cpu_quota(db: &TestDb) {
    let (ada, bob, job) = (someone(), someone(), one_second());
    let enqueue = |user| {
        db.store
            .enqueue_job(new_job(user, JobKind::Execution, &job, 2_500), NO_CAPS)
    };
    for _ in 0..3 {
        enqueue(ada).await.unwrap();
    }
    // 3,000 ms reserved: nothing is used yet, but the quota is spoken for.
    let refused = enqueue(ada).await;
    assert!(
        matches!(
            refused,
            Err(Error::CpuQuotaExceeded {
                limit_ms: 2_500,
                used_ms: 0,
                reserved_ms: 3_000
            })
        ),
        "{refused:?}"
    );
    enqueue(bob).await.unwrap();

    // A finished job counts what it used instead of what it reserved.
    let claimed = db
        .store
        .claim(&worker("w", 60_000, 1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.execution.user_id, ada);
    let outcome = Outcome {
        exit_code: Some(0),
        cpu_time_ms: 100,
        ..Outcome::default()
    };
    db.store
        .complete(claimed.execution.id, "w", JobStatus::Succeeded, &outcome)
        .await
        .unwrap()
        .unwrap();
    let since = quota(0).since;
    assert_eq!(db.store.cpu_use(ada, since).await.unwrap(), (100, 2_000));
    enqueue(ada).await.unwrap();
    assert_eq!(db.store.user_job_counts(ada).await.unwrap(), (3, 0));
}

async fn the_cpu_quota_holds_under_concurrent_enqueues(db: &TestDb) {
    let ada = someone();
    let attempts = (0..20).map(|_| {
        let store = db.store.clone();
        tokio::spawn(async move {
            let job = one_second();
            store
                .enqueue_job(new_job(ada, JobKind::Execution, &job, 5_000), NO_CAPS)
                .await
        })
    });
    let results = futures::future::join_all(attempts).await;
    let accepted = results.iter().filter(|r| matches!(r, Ok(Ok(_)))).count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Ok(Err(Error::CpuQuotaExceeded { .. }))))
        .count();
    assert_eq!((accepted, refused), (5, 15));
}

async fn measurements_share_the_queue_but_not_the_history(db: &TestDb) {
    let ada = someone();
    let caps = QueueCaps {
        max_queued_total: 100,
        max_queued_per_user: 1,
    };
    let job = one_second();
    let measurement = db
        .store
        .enqueue_job(new_job(ada, JobKind::Measurement, &job, 60_000), caps)
        .await
        .unwrap();
    // The queued measurement fills the user's queue: an execution waits its turn.
    let refused = db.store.enqueue(ada, &spec("print(1)"), caps).await;
    assert!(
        matches!(
            refused,
            Err(Error::QueueFull {
                scope: QueueScope::User
            })
        ),
        "{refused:?}"
    );

    let claimed = db
        .store
        .claim(&worker("w", 60_000, 1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (claimed.kind, claimed.execution.id),
        (JobKind::Measurement, measurement.id)
    );
    let execution = db
        .store
        .enqueue(ada, &spec("print(1)"), caps)
        .await
        .unwrap();
    // The running measurement holds the user's one running slot.
    assert!(
        db.store
            .claim(&worker("w", 60_000, 1))
            .await
            .unwrap()
            .is_none()
    );

    let outcome = Outcome {
        cpu_time_ms: 700,
        ..Outcome::default()
    };
    let result = r#"{"function":"f","points":[],"verdict":"O(n)","confidence":0.9}"#;
    db.store
        .complete_with_result(
            measurement.id,
            "w",
            JobStatus::Succeeded,
            &outcome,
            Some(result),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        db.store
            .job_result(measurement.id)
            .await
            .unwrap()
            .as_deref(),
        Some(result)
    );
    assert_eq!(
        db.store.cpu_ms_since(ada, quota(0).since).await.unwrap(),
        700
    );

    let next = db
        .store
        .claim(&worker("w", 60_000, 1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (next.kind, next.execution.id),
        (JobKind::Execution, execution.id)
    );
    assert_eq!(db.store.job_result(execution.id).await.unwrap(), None);
    let history = db
        .store
        .list_jobs(JobQuery {
            user: Some(ada),
            limit: 10,
            cursor: None,
        })
        .await
        .unwrap();
    let listed: Vec<_> = history.items.iter().map(|e| e.id).collect();
    assert_eq!(listed, [execution.id]);
}

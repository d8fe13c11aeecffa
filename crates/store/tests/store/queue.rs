//! Enqueueing under caps, and the counters the API and quotas read.

use chrono::{Duration, Utc};
use code_remote_core::{JobStatus, Outcome};
use code_remote_store::{Error, QueueCaps, QueueScope};

use crate::helpers::{NO_CAPS, TestDb, someone, spec, worker};

crate::on_both_backends!(
    an_enqueued_job_is_queued_with_its_spec,
    the_server_wide_cap_refuses_new_jobs_with_global_scope,
    the_per_user_cap_refuses_only_that_user,
    caps_hold_under_concurrent_enqueues,
    counters_follow_jobs_through_the_queue,
    jobs_survive_reopening_the_database,
);

async fn an_enqueued_job_is_queued_with_its_spec(db: &TestDb) {
    let owner = someone();
    let mut job = spec("print(input())");
    job.stdin = "hello\n".into();
    job.interactive = true;
    job.limits.time_limit_ms = 1_234;
    let queued = db.store.enqueue(owner, &job, NO_CAPS).await.unwrap();
    assert_eq!(
        (queued.status, queued.user_id, queued.attempts),
        (JobStatus::Queued, owner, 0)
    );
    assert_eq!(
        (queued.code.as_str(), queued.stdin.as_str()),
        ("print(input())", "hello\n")
    );
    assert_eq!(queued.limits, job.limits);
    assert!(queued.interactive);
    assert_eq!((queued.started_at, queued.finished_at), (None, None));
    assert_eq!(db.store.job(queued.id).await.unwrap(), Some(queued));
}

async fn the_server_wide_cap_refuses_new_jobs_with_global_scope(db: &TestDb) {
    let caps = QueueCaps {
        max_queued_total: 3,
        max_queued_per_user: 10,
    };
    for _ in 0..3 {
        db.store.enqueue(someone(), &spec("1"), caps).await.unwrap();
    }
    let refused = db.store.enqueue(someone(), &spec("1"), caps).await;
    assert!(
        matches!(
            refused,
            Err(Error::QueueFull {
                scope: QueueScope::Global
            })
        ),
        "{refused:?}"
    );
    assert_eq!(db.store.queue_depth().await.unwrap(), 3);
}

async fn the_per_user_cap_refuses_only_that_user(db: &TestDb) {
    let caps = QueueCaps {
        max_queued_total: 100,
        max_queued_per_user: 2,
    };
    let (busy, other) = (someone(), someone());
    db.store.enqueue(busy, &spec("1"), caps).await.unwrap();
    db.store.enqueue(busy, &spec("2"), caps).await.unwrap();
    let refused = db.store.enqueue(busy, &spec("3"), caps).await;
    assert!(
        matches!(
            refused,
            Err(Error::QueueFull {
                scope: QueueScope::User
            })
        ),
        "{refused:?}"
    );
    db.store.enqueue(other, &spec("1"), caps).await.unwrap();
    // A claimed job no longer counts as queued.
    db.store
        .claim(&worker("w", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    db.store.enqueue(busy, &spec("3"), caps).await.unwrap();
}

async fn caps_hold_under_concurrent_enqueues(db: &TestDb) {
    let caps = QueueCaps {
        max_queued_total: 10,
        max_queued_per_user: 100,
    };
    let attempts = (0..30).map(|_| {
        let store = db.store.clone();
        tokio::spawn(async move { store.enqueue(someone(), &spec("1"), caps).await })
    });
    let results = futures::future::join_all(attempts).await;
    let accepted = results
        .iter()
        .filter(|result| matches!(result, Ok(Ok(_))))
        .count();
    let refused = results
        .iter()
        .filter(|result| {
            matches!(
                result,
                Ok(Err(Error::QueueFull {
                    scope: QueueScope::Global
                }))
            )
        })
        .count();
    assert_eq!((accepted, refused), (10, 20));
    assert_eq!(db.store.queue_depth().await.unwrap(), 10);
}

async fn counters_follow_jobs_through_the_queue(db: &TestDb) {
    let (ada, bob) = (someone(), someone());
    let before = Utc::now() - Duration::seconds(1);
    for _ in 0..3 {
        db.store.enqueue(ada, &spec("1"), NO_CAPS).await.unwrap();
    }
    db.store.enqueue(bob, &spec("1"), NO_CAPS).await.unwrap();
    assert_eq!(
        (
            db.store.queue_depth().await.unwrap(),
            db.store.running_count().await.unwrap()
        ),
        (4, 0)
    );

    let first = db
        .store
        .claim(&worker("w", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    let second = db
        .store
        .claim(&worker("w", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (first.execution.user_id, second.execution.user_id),
        (ada, ada)
    );
    assert_eq!(
        (
            db.store.queue_depth().await.unwrap(),
            db.store.running_count().await.unwrap()
        ),
        (2, 2)
    );
    assert_eq!(db.store.user_job_counts(ada).await.unwrap(), (1, 2));
    assert_eq!(db.store.user_job_counts(bob).await.unwrap(), (1, 0));
    assert_eq!(db.store.user_job_counts(someone()).await.unwrap(), (0, 0));

    for (claimed, cpu) in [(first, 120), (second, 30)] {
        let outcome = Outcome {
            exit_code: Some(0),
            cpu_time_ms: cpu,
            ..Outcome::default()
        };
        db.store
            .complete(claimed.execution.id, "w", JobStatus::Succeeded, &outcome)
            .await
            .unwrap()
            .unwrap();
    }
    assert_eq!(db.store.cpu_ms_since(ada, before).await.unwrap(), 150);
    assert_eq!(
        db.store
            .cpu_ms_since(ada, Utc::now() + Duration::seconds(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(db.store.cpu_ms_since(bob, before).await.unwrap(), 0);
    assert_eq!(db.store.running_count().await.unwrap(), 0);
}

async fn jobs_survive_reopening_the_database(db: &TestDb) {
    let queued = db
        .store
        .enqueue(someone(), &spec("print(1)"), NO_CAPS)
        .await
        .unwrap();
    let reopened = db.reopen().await;
    assert_eq!(reopened.job(queued.id).await.unwrap(), Some(queued));
    assert_eq!(reopened.backend(), db.store.backend());
    reopened.ping().await.unwrap();
}

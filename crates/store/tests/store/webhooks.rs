//! Test cases stored with their job, batches queued all or none, webhook secrets, and durable
//! callback deliveries: created once per finished job, leased, retried, finished once.

use std::time::Duration;

use chrono::Utc;
use code_remote_core::{Compare, JobStatus, Outcome, TestCase, TestResult, TestSuite, Verdict};
use code_remote_store::{
    AttemptResult, Callback, DeliveryState, Error, JobKind, NewDelivery, NewJob, QueueCaps,
    QueueScope,
};

use crate::helpers::{NO_CAPS, TestDb, eventually, someone, spec, user, worker};

crate::on_both_backends!(
    test_cases_and_their_results_read_back_with_a_verdict,
    a_batch_is_queued_in_order_all_or_none,
    a_finished_jobs_callback_becomes_one_delivery,
    deliveries_are_leased_retried_and_finished_once,
    an_expired_delivery_lease_is_claimed_again,
    webhook_secrets_are_set_rotated_and_deleted,
);

fn suite(n: usize) -> TestSuite {
    TestSuite {
        compare: Compare::Exact,
        cases: (0..n)
            .map(|i| TestCase {
                name: (i == 0).then(|| "first".to_owned()),
                stdin: i.to_string(),
                expected_output: format!("{i}\n"),
            })
            .collect(),
    }
}

fn result(verdict: Verdict) -> TestResult {
    TestResult {
        name: "first".into(),
        verdict,
        stdout: "0\n".into(),
        stderr: String::new(),
        stdout_truncated: false,
        stderr_truncated: false,
        exit_code: Some(0),
        signal: None,
        time_ms: 5,
        cpu_time_ms: 4,
        peak_memory_kib: 9000,
    }
}

async fn test_cases_and_their_results_read_back_with_a_verdict(db: &TestDb) {
    let mut job = spec("print(input())");
    job.limits.time_limit_ms = 1_000;
    job.tests = Some(suite(3));
    let ada = someone();
    let queued = db.store.enqueue(ada, &job, NO_CAPS).await.unwrap();
    assert_eq!(queued.test_cases, job.tests.as_ref().unwrap().cases);
    assert_eq!(queued.compare, Some(Compare::Exact));
    assert_eq!(queued.verdict, None);
    // One time limit reserved per test.
    let (_, reserved) = db.store.cpu_use(ada, Utc::now()).await.unwrap();
    assert_eq!(reserved, 3_000);
    let claimed = db
        .store
        .claim(&worker("w", 10_000, 0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.spec.tests, job.tests);
    let results = vec![
        result(Verdict::Accepted),
        result(Verdict::WrongAnswer),
        result(Verdict::TimeLimitExceeded),
    ];
    let json = serde_json::to_string(&results).unwrap();
    let done = db
        .store
        .complete_with_result(
            queued.id,
            "w",
            JobStatus::TimedOut,
            &Outcome::default(),
            Some(&json),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.tests, results);
    assert_eq!(done.verdict, Some(Verdict::WrongAnswer));
    let read = db.store.job(queued.id).await.unwrap().unwrap();
    assert_eq!(read.tests.len(), 3);
    assert_eq!(read.verdict, Some(Verdict::WrongAnswer));
}

async fn a_batch_is_queued_in_order_all_or_none(db: &TestDb) {
    let ada = someone();
    let specs: Vec<_> = (0..3).map(|i| spec(&format!("print({i})"))).collect();
    let jobs: Vec<NewJob<'_>> = specs
        .iter()
        .map(|spec| NewJob {
            user: ada,
            kind: JobKind::Execution,
            spec,
            cpu_quota: None,
            callback: None,
        })
        .collect();
    let caps = QueueCaps {
        max_queued_total: 100,
        max_queued_per_user: 2,
    };
    let refused = db.store.enqueue_jobs(&jobs, caps).await;
    assert!(
        matches!(
            refused,
            Err(Error::QueueFull {
                scope: QueueScope::User
            })
        ),
        "{refused:?}"
    );
    assert_eq!(db.store.queue_depth().await.unwrap(), 0, "none of them");
    let queued = db.store.enqueue_jobs(&jobs, NO_CAPS).await.unwrap();
    let codes: Vec<&str> = queued.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["print(0)", "print(1)", "print(2)"]);
    // Claimed in the order given.
    for expected in &queued {
        let claimed = db
            .store
            .claim(&worker("w", 10_000, 0))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(claimed.execution.id, expected.id);
    }
}

fn callback() -> Callback {
    Callback {
        url: "https://hooks.example.org/run".into(),
        judge0: None,
    }
}

/// Queues a job with a callback, runs it to the end, and returns its id.
async fn finished_job_with_callback(db: &TestDb) -> code_remote_core::JobId {
    let (job, callback) = (spec("print(1)"), callback());
    let new = NewJob {
        user: someone(),
        kind: JobKind::Execution,
        spec: &job,
        cpu_quota: None,
        callback: Some(&callback),
    };
    let queued = db.store.enqueue_job(new, NO_CAPS).await.unwrap();
    assert_eq!(queued.callback_url.as_deref(), Some(callback.url.as_str()));
    assert!(
        db.store.pending_callbacks(10).await.unwrap().is_empty(),
        "not before it ends"
    );
    db.store
        .claim(&worker("w", 10_000, 0))
        .await
        .unwrap()
        .unwrap();
    db.store
        .complete(queued.id, "w", JobStatus::Succeeded, &Outcome::default())
        .await
        .unwrap()
        .unwrap();
    queued.id
}

fn delivery_of(job: code_remote_core::JobId, user: code_remote_core::UserId) -> NewDelivery {
    NewDelivery {
        job,
        user,
        url: callback().url,
        method: "POST".into(),
        body: r#"{"type":"execution.finished"}"#.into(),
    }
}

async fn a_finished_jobs_callback_becomes_one_delivery(db: &TestDb) {
    let job = finished_job_with_callback(db).await;
    let pending = db.store.pending_callbacks(10).await.unwrap();
    assert_eq!(pending, vec![(job, callback())]);
    let owner = db.store.job(job).await.unwrap().unwrap().user_id;
    assert!(
        db.store
            .create_delivery(&delivery_of(job, owner))
            .await
            .unwrap()
    );
    // Another node that saw the same job a moment later creates nothing.
    let other = db.another_node().await;
    assert!(
        !other
            .create_delivery(&delivery_of(job, owner))
            .await
            .unwrap()
    );
    assert!(db.store.pending_callbacks(10).await.unwrap().is_empty());
    let deliveries = db.store.job_deliveries(job).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].state, DeliveryState::Pending);
    assert_eq!(deliveries[0].attempts, 0);
}

async fn deliveries_are_leased_retried_and_finished_once(db: &TestDb) {
    let job = finished_job_with_callback(db).await;
    db.store
        .create_delivery(&delivery_of(job, someone()))
        .await
        .unwrap();
    let lease = Duration::from_secs(30);
    let taken = db.store.claim_deliveries("a", lease, 10).await.unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].attempts, 1);
    let id = taken[0].id;
    let other = db.another_node().await;
    assert!(
        other
            .claim_deliveries("b", lease, 10)
            .await
            .unwrap()
            .is_empty(),
        "leased to a"
    );
    let retry = AttemptResult::Retry {
        error: "the receiver answered 503".into(),
        status: Some(503),
        at: Utc::now() - chrono::Duration::seconds(1),
    };
    assert!(
        !other.finish_attempt(id, "b", &retry).await.unwrap(),
        "b holds no lease"
    );
    assert!(db.store.finish_attempt(id, "a", &retry).await.unwrap());
    let again = other.claim_deliveries("b", lease, 10).await.unwrap();
    assert_eq!(again.len(), 1, "due again");
    assert_eq!(again[0].id, id, "the same delivery, so the same webhook id");
    assert_eq!(again[0].attempts, 2);
    assert_eq!(
        again[0].last_error.as_deref(),
        Some("the receiver answered 503")
    );
    let give_up = AttemptResult::GiveUp {
        error: "gave up".into(),
        status: Some(500),
    };
    assert!(other.finish_attempt(id, "b", &give_up).await.unwrap());
    assert!(
        !other.finish_attempt(id, "b", &give_up).await.unwrap(),
        "once"
    );
    let done = &db.store.job_deliveries(job).await.unwrap()[0];
    assert_eq!(done.state, DeliveryState::Failed);
    assert_eq!(done.last_status, Some(500));
    assert!(done.finished_at.is_some());
    assert!(
        db.store
            .claim_deliveries("a", lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(db.store.pending_delivery_count().await.unwrap(), 0);
}

async fn an_expired_delivery_lease_is_claimed_again(db: &TestDb) {
    let job = finished_job_with_callback(db).await;
    db.store
        .create_delivery(&delivery_of(job, someone()))
        .await
        .unwrap();
    let first = db
        .store
        .claim_deliveries("dead", Duration::from_millis(100), 10)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    // The node that took it died: once its lease runs out another node takes it.
    let taken = eventually("the lease runs out", || async {
        let taken = db
            .store
            .claim_deliveries("alive", Duration::from_secs(30), 10)
            .await
            .unwrap();
        (!taken.is_empty()).then_some(taken)
    })
    .await;
    assert_eq!(taken[0].id, first[0].id);
    assert_eq!(taken[0].attempts, 2);
    let delivered = AttemptResult::Delivered { status: 204 };
    assert!(
        !db.store
            .finish_attempt(taken[0].id, "dead", &delivered)
            .await
            .unwrap()
    );
    assert!(
        db.store
            .finish_attempt(taken[0].id, "alive", &delivered)
            .await
            .unwrap()
    );
    assert_eq!(
        db.store.job_deliveries(job).await.unwrap()[0].state,
        DeliveryState::Delivered
    );
}

async fn webhook_secrets_are_set_rotated_and_deleted(db: &TestDb) {
    let ada = user(&db.store, "ada").await;
    assert!(db.store.webhook_secret(ada.id).await.unwrap().is_none());
    db.store
        .set_webhook_secret(ada.id, "whsec_one")
        .await
        .unwrap();
    db.store
        .set_webhook_secret(ada.id, "whsec_two")
        .await
        .unwrap();
    let (secret, _) = db.store.webhook_secret(ada.id).await.unwrap().unwrap();
    assert_eq!(secret, "whsec_two");
    assert!(db.store.delete_webhook_secret(ada.id).await.unwrap());
    assert!(!db.store.delete_webhook_secret(ada.id).await.unwrap());
    assert!(db.store.webhook_secret(ada.id).await.unwrap().is_none());
}

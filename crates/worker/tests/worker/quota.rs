//! The daily CPU quota is checked again when a job is claimed.

use code_remote_core::{JobStatus, Outcome, UserId};
use code_remote_store::{ClaimOptions, Store};
use code_remote_worker::WorkerConfig;

use crate::helpers::{CAPS, print_one, test_store, worker};

/// Records a finished job of `user` that used `cpu_ms` of CPU today.
async fn used_today(store: &Store, user: UserId, cpu_ms: u64) {
    store.enqueue(user, &print_one(), CAPS).await.unwrap();
    let claim = ClaimOptions {
        worker_id: "earlier".into(),
        lease: std::time::Duration::from_secs(60),
        max_running_per_user: 0,
    };
    let claimed = store.claim(&claim).await.unwrap().unwrap();
    let outcome = Outcome {
        exit_code: Some(0),
        cpu_time_ms: cpu_ms,
        ..Outcome::default()
    };
    store
        .complete(
            claimed.execution.id,
            "earlier",
            JobStatus::Succeeded,
            &outcome,
        )
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_claimed_after_its_owner_spent_the_quota_fails_without_running() {
    let (store, _dir) = test_store().await;
    let config = WorkerConfig {
        cpu_seconds_per_user_per_day: Some(1),
        ..WorkerConfig::default()
    };
    let worker = worker(&store, config);
    let (spender, other) = (UserId::new(), UserId::new());
    used_today(&store, spender, 1_500).await;
    // Queued before the quota was spent, or through a node that did not check it.
    let late = store.enqueue(spender, &print_one(), CAPS).await.unwrap();
    let fine = store.enqueue(other, &print_one(), CAPS).await.unwrap();

    assert_eq!(worker.run_one().await.unwrap(), Some(late.id));
    let late = store.job(late.id).await.unwrap().unwrap();
    assert_eq!(late.status, JobStatus::Failed, "{late:?}");
    let message = late.message.unwrap_or_default();
    assert!(message.starts_with("daily CPU quota exceeded"), "{message}");
    assert_eq!((late.exit_code, late.stdout.as_str()), (None, ""));

    assert_eq!(worker.run_one().await.unwrap(), Some(fine.id));
    let fine = store.job(fine.id).await.unwrap().unwrap();
    assert_eq!(
        (fine.status, fine.stdout.as_str()),
        (JobStatus::Succeeded, "1\n")
    );
}

//! Claim order (per-user FIFO), the per-user running limit, and concurrent claimers.

use std::collections::HashSet;

use code_remote_core::{JobId, JobStatus, Outcome};
use code_remote_store::Store;

use crate::helpers::{NO_CAPS, TestDb, someone, spec, worker};

crate::on_both_backends!(
    jobs_are_claimed_oldest_first_and_marked_running,
    a_user_never_runs_more_than_the_per_user_limit,
    many_concurrent_claimers_claim_each_job_exactly_once,
    concurrent_claimers_respect_the_per_user_limit,
);

async fn jobs_are_claimed_oldest_first_and_marked_running(db: &TestDb) {
    let (ada, bob) = (someone(), someone());
    let mut order = Vec::new();
    for (owner, code) in [
        (ada, "a1"),
        (bob, "b1"),
        (ada, "a2"),
        (bob, "b2"),
        (ada, "a3"),
    ] {
        order.push(
            db.store
                .enqueue(owner, &spec(code), NO_CAPS)
                .await
                .unwrap()
                .id,
        );
    }
    let mut claimed = Vec::new();
    while let Some(job) = db.store.claim(&worker("w1", 60_000, 0)).await.unwrap() {
        assert_eq!(
            (job.execution.status, job.attempt, job.execution.attempts),
            (JobStatus::Running, 1, 1)
        );
        assert!(job.execution.started_at.is_some());
        assert_eq!(job.spec.code, job.execution.code);
        claimed.push(job.execution.id);
    }
    assert_eq!(claimed, order);
}

async fn a_user_never_runs_more_than_the_per_user_limit(db: &TestDb) {
    let (ada, bob) = (someone(), someone());
    let a1 = db
        .store
        .enqueue(ada, &spec("a1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    let a2 = db
        .store
        .enqueue(ada, &spec("a2"), NO_CAPS)
        .await
        .unwrap()
        .id;
    let b1 = db
        .store
        .enqueue(bob, &spec("b1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    let opts = worker("w1", 60_000, 1);
    let claim = || async {
        db.store
            .claim(&opts)
            .await
            .unwrap()
            .map(|job| job.execution.id)
    };
    assert_eq!(claim().await, Some(a1));
    // a2 waits for a1 although it is older than b1: one running job per user.
    assert_eq!(claim().await, Some(b1));
    assert_eq!(claim().await, None);
    db.store
        .complete(a1, "w1", JobStatus::Succeeded, &Outcome::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claim().await, Some(a2));
}

async fn claim_all(store: Store, name: String, limit: u32) -> Vec<JobId> {
    let mut mine = Vec::new();
    while let Some(job) = store.claim(&worker(&name, 60_000, limit)).await.unwrap() {
        mine.push(job.execution.id);
    }
    mine
}

async fn many_concurrent_claimers_claim_each_job_exactly_once(db: &TestDb) {
    let users: Vec<_> = (0..5).map(|_| someone()).collect();
    let mut queued = HashSet::new();
    for n in 0..100 {
        queued.insert(
            db.store
                .enqueue(users[n % users.len()], &spec("1"), NO_CAPS)
                .await
                .unwrap()
                .id,
        );
    }
    let claimers: Vec<_> = (0..8)
        .map(|n| tokio::spawn(claim_all(db.store.clone(), format!("worker-{n}"), 0)))
        .collect();
    let mut claimed = Vec::new();
    for claimer in futures::future::join_all(claimers).await {
        claimed.extend(claimer.unwrap());
    }
    let distinct: HashSet<_> = claimed.iter().copied().collect();
    assert_eq!(claimed.len(), 100, "a job was claimed twice or not at all");
    assert_eq!(distinct, queued);
    assert_eq!(db.store.running_count().await.unwrap(), 100);
}

async fn concurrent_claimers_respect_the_per_user_limit(db: &TestDb) {
    let users: Vec<_> = (0..3).map(|_| someone()).collect();
    for n in 0..30 {
        db.store
            .enqueue(users[n % users.len()], &spec("1"), NO_CAPS)
            .await
            .unwrap();
    }
    let claimers: Vec<_> = (0..8)
        .map(|n| tokio::spawn(claim_all(db.store.clone(), format!("worker-{n}"), 2)))
        .collect();
    let claimed: usize = futures::future::join_all(claimers)
        .await
        .into_iter()
        .map(|c| c.unwrap().len())
        .sum();
    assert_eq!(claimed, 6, "three users, two running jobs each");
    for user in users {
        assert_eq!(db.store.user_job_counts(user).await.unwrap(), (8, 2));
    }
}

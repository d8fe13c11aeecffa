//! The hub against a real SQLite store, with a pause point between what a new subscriber reads
//! so the races between reading and subscribing can be forced instead of waited for.

use std::sync::atomic::{AtomicBool, Ordering};

use code_remote_core::{JobSpec, JobStatus, Limits, Outcome, Stream, UserId};
use code_remote_store::{ClaimOptions, QueueCaps};
use tokio::sync::Notify;

use futures::StreamExt;

use super::*;

/// A pause point: once armed, the next subscriber stops there until released.
#[derive(Default)]
pub(super) struct Gate {
    armed: AtomicBool,
    reached: Notify,
    release: Notify,
}

impl Gate {
    pub(super) async fn pass(&self) {
        if self.armed.swap(false, Ordering::SeqCst) {
            let released = self.release.notified();
            self.reached.notify_one();
            released.await;
        }
    }
}

const CAPS: QueueCaps = QueueCaps {
    max_queued_total: 1_000_000,
    max_queued_per_user: 1_000_000,
};
const PATIENCE: Duration = Duration::from_secs(10);

async fn store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    (Store::connect(&url).await.unwrap(), dir)
}

/// A job claimed by a pretend worker, with its `running` event stored (seq 1).
async fn running_job(store: &Store) -> JobId {
    let spec = JobSpec {
        code: "print('hello')".into(),
        stdin: String::new(),
        limits: Limits::default(),
        interactive: false,
        tests: None,
    };
    let job = store.enqueue(UserId::new(), &spec, CAPS).await.unwrap().id;
    let claim = ClaimOptions {
        worker_id: "w".into(),
        lease: Duration::from_secs(60),
        max_running_per_user: 0,
    };
    assert_eq!(
        store.claim(&claim).await.unwrap().unwrap().execution.id,
        job
    );
    let running = JobEvent::Status {
        job_id: job,
        seq: 1,
        status: JobStatus::Running,
    };
    store.publish_events(job, &[running]).await.unwrap();
    job
}

/// What the worker does at the end: the last output, the result, then the final event.
async fn finish(store: &Store, job: JobId, output: &str) {
    let chunk = JobEvent::Output {
        job_id: job,
        seq: 2,
        stream: Stream::Stdout,
        data: output.into(),
    };
    store.publish_events(job, &[chunk]).await.unwrap();
    let outcome = Outcome {
        exit_code: Some(0),
        stdout: output.into(),
        ..Outcome::default()
    };
    let execution = store
        .complete(job, "w", JobStatus::Succeeded, &outcome)
        .await
        .unwrap()
        .unwrap();
    store
        .publish_events(job, &[JobEvent::finished(&execution, 3)])
        .await
        .unwrap();
}

async fn collect(hub: Hub, job: JobId, after_seq: u64) -> Vec<JobEvent> {
    let events = hub.events(job, after_seq).await.unwrap();
    futures::pin_mut!(events);
    let mut seen = Vec::new();
    while let Some(event) = tokio::time::timeout(PATIENCE, events.next())
        .await
        .expect("the final event arrives")
    {
        seen.push(event.unwrap().event.clone());
    }
    seen
}

fn stdout(events: &[JobEvent]) -> String {
    events
        .iter()
        .filter_map(|event| match event {
            JobEvent::Output { data, .. } => Some(data.as_str()),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_finishing_while_a_subscriber_joins_loses_no_output() {
    let (store, _dir) = store().await;
    let hub = Hub::start(store.clone());
    let job = running_job(&store).await;
    hub.gate.armed.store(true, Ordering::SeqCst);
    let reached = hub.gate.reached.notified();
    let subscriber = tokio::spawn(collect(hub.clone(), job, 0));
    reached.await;
    // The subscriber has read the history (seq 1) and not yet looked at the job's row.
    finish(&store, job, "hello\n").await;
    hub.gate.release.notify_one();
    let events = subscriber.await.unwrap();
    let seqs: Vec<u64> = events.iter().map(JobEvent::seq).collect();
    assert_eq!(stdout(&events), "hello\n", "events: {events:?}");
    assert_eq!(seqs, [1, 2, 3]);
}

/// The same race left to chance: jobs finish while their subscribers join, many times over.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn subscribers_joining_while_jobs_finish_always_get_every_output() {
    let (store, _dir) = store().await;
    let hub = Hub::start(store.clone());
    let mut lost = Vec::new();
    for round in 0..300 {
        let job = running_job(&store).await;
        let finishing = tokio::spawn({
            let store = store.clone();
            async move { finish(&store, job, "hello\n").await }
        });
        let events = collect(hub.clone(), job, 0).await;
        finishing.await.unwrap();
        if stdout(&events) != "hello\n" {
            lost.push(round);
        }
    }
    assert!(lost.is_empty(), "output lost in rounds {lost:?}");
}

#[tokio::test]
async fn stdin_totals_are_capped_per_job_and_forgotten_with_the_job() {
    let (store, _dir) = store().await;
    let hub = Hub::start(store);
    let (job, other) = (JobId::new(), JobId::new());
    assert!(hub.take_stdin(job, 1000, 1024));
    assert!(!hub.take_stdin(job, 25, 1024), "1025 bytes in total");
    assert!(hub.take_stdin(job, 24, 1024));
    assert!(
        hub.take_stdin(other, 1024, 1024),
        "each job has its own total"
    );
    hub.forget_stdin(job);
    assert!(hub.take_stdin(job, 1024, 1024));
}

#[tokio::test]
async fn a_users_connections_are_counted_until_dropped() {
    let (store, _dir) = store().await;
    let hub = Hub::start(store);
    let (alice, bob) = (UserId::new(), UserId::new());
    let first = hub.open_connection(alice, 2).unwrap();
    let _second = hub.open_connection(alice, 2).unwrap();
    assert!(hub.open_connection(alice, 2).is_none());
    assert!(hub.open_connection(bob, 2).is_some());
    drop(first);
    assert!(hub.open_connection(alice, 2).is_some());
}

#[tokio::test]
async fn a_waiter_gets_its_answer_even_if_the_final_event_is_never_published() {
    let (store, _dir) = store().await;
    let hub = Hub::start(store.clone());
    let job = running_job(&store).await;
    let waiter = tokio::spawn({
        let hub = hub.clone();
        async move { hub.wait_finished(job, Duration::from_secs(30)).await }
    });
    // The worker stores the result and dies before publishing the final event.
    let outcome = Outcome {
        exit_code: Some(0),
        stdout: "done\n".into(),
        ..Outcome::default()
    };
    store
        .complete(job, "w", JobStatus::Succeeded, &outcome)
        .await
        .unwrap()
        .unwrap();
    let started = std::time::Instant::now();
    let execution = tokio::time::timeout(Duration::from_secs(10), waiter)
        .await
        .expect("the waiter answers long before its own timeout")
        .unwrap()
        .unwrap()
        .expect("a finished execution, not a timeout");
    assert_eq!(execution.status, JobStatus::Succeeded);
    assert!(started.elapsed() < Duration::from_secs(5));
}

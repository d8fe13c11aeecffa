//! PostgreSQL: publishing events and finishing a job survive a connection killed in the middle
//! of their transaction. The store retries, and stores each event and the result once.
//!
//! Deterministic: the test holds the job's numbering lock, waits until the store's transaction
//! queues behind it, kills that connection, then lets go.

use code_remote_core::{JobEvent, JobId, JobStatus, Outcome, Stream};
use sqlx::PgPool;

use crate::helpers::{TestDb, eventually};

/// The store's lock class for numbering one job's events (`events.rs`).
const NUMBERING_LOCK_CLASS: i32 = 0x6576;

fn output(job_id: JobId, data: &str) -> JobEvent {
    JobEvent::Output {
        job_id,
        seq: 0,
        stream: Stream::Stdout,
        data: data.into(),
    }
}

/// Runs `write` while its transaction is killed once: holds the job's numbering lock on a
/// separate connection, kills the store's backend that waits for it, then releases it.
async fn killed_once<T>(db: &TestDb, job: JobId, write: impl Future<Output = T>) -> T {
    let admin = PgPool::connect(db.admin_url().unwrap()).await.unwrap();
    let mut holder = admin.acquire().await.unwrap();
    sqlx::query("select pg_advisory_lock($1, hashtext($2::text))")
        .bind(NUMBERING_LOCK_CLASS)
        .bind(job.0)
        .execute(&mut *holder)
        .await
        .unwrap();
    let kill = async {
        eventually(
            "the store's transaction waits for the numbering lock",
            || async {
                let killed: Vec<bool> = sqlx::query_scalar(
                    r#"
                select pg_terminate_backend(pid) from pg_stat_activity
                where application_name = $1 and wait_event_type = 'Lock'
                "#,
                )
                .bind(db.schema().unwrap())
                .fetch_all(&admin)
                .await
                .unwrap();
                killed.contains(&true).then_some(())
            },
        )
        .await;
        sqlx::query("select pg_advisory_unlock($1, hashtext($2::text))")
            .bind(NUMBERING_LOCK_CLASS)
            .bind(job.0)
            .execute(&mut *holder)
            .await
            .unwrap();
    };
    let (written, ()) = tokio::join!(write, kill);
    drop(holder);
    admin.close().await;
    written
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_publish_whose_connection_is_killed_is_retried_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let job = JobId::new();
    db.store.publish(job, vec![output(job, "a")]).await.unwrap();
    let batch = vec![output(job, "b"), output(job, "c")];
    let stored = killed_once(&db, job, db.store.publish(job, batch))
        .await
        .expect("the publish is retried on a new connection");
    assert_eq!(stored.iter().map(JobEvent::seq).collect::<Vec<_>>(), [2, 3]);
    let all = db.store.events_since(job, 0).await.unwrap();
    assert_eq!(all.len(), 3, "every event stored once: {all:?}");
    assert_eq!(all[1..], stored[..]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_finishing_a_job_whose_connection_is_killed_is_retried_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let job = db.running_job("print(1)").await;
    db.store
        .publish(job, vec![output(job, "1\n")])
        .await
        .unwrap();
    let outcome = Outcome {
        exit_code: Some(0),
        stdout: "1\n".into(),
        ..Outcome::default()
    };
    let finish = db
        .store
        .complete_and_publish(job, "w", JobStatus::Succeeded, &outcome, None);
    let execution = killed_once(&db, job, finish)
        .await
        .expect("finishing is retried on a new connection")
        .expect("the worker still holds the job");
    assert_eq!(execution.status, JobStatus::Succeeded);
    let events = db.store.events_since(job, 0).await.unwrap();
    assert_eq!(
        events,
        [
            output(job, "1\n").with_seq(1),
            JobEvent::finished(&execution, 2)
        ]
    );
    assert_eq!(db.store.job(job).await.unwrap().unwrap(), execution);
}

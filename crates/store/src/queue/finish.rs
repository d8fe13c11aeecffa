//! Finishing a job: its result and its final event, stored together and retried through
//! passing database failures without finishing the job twice.

use chrono::{DateTime, Utc};
use code_remote_core::{Execution, JobEvent, JobId, JobStatus, Outcome};

use super::COMPLETE;
use crate::{
    Error, Result, Store,
    events::{insert_numbered, lock_numbering},
    retry::Retry,
    rows::{JobRow, nul_free, nul_free_opt, to_i64},
};

/// One job's result, as a worker hands it in.
struct Finish<'a> {
    job: JobId,
    worker_id: &'a str,
    status: JobStatus,
    outcome: &'a Outcome,
    result: Option<&'a str>,
    /// Fixed before the first attempt: a retry recognises its own earlier commit by it.
    finished_at: DateTime<Utc>,
}

impl Store {
    /// [`Store::complete_with_result`] and the job's final event (numbered by the store, like
    /// [`Store::publish`]), announced on the bus. On PostgreSQL both are one transaction, which
    /// also sends the notification, so a finished job always has its `finished` event; on
    /// SQLite two statements on the one writer connection. `None`, and nothing stored, if the
    /// lease was lost.
    ///
    /// A transient database failure is retried. A retry whose earlier attempt committed after
    /// all (the reply was lost) finds the job finished by this worker at this call's
    /// `finished_at` and returns it, with nothing stored twice.
    pub async fn complete_and_publish(
        &self,
        job: JobId,
        worker_id: &str,
        status: JobStatus,
        outcome: &Outcome,
        result: Option<&str>,
    ) -> Result<Option<Execution>> {
        if !status.is_terminal() {
            return Err(Error::NotTerminal(status));
        }
        let finish = Finish {
            job,
            worker_id,
            status,
            outcome,
            result,
            finished_at: crate::now(),
        };
        let mut retry = Retry::new("finishing a job");
        loop {
            match self.finish_once(&finish, retry.is_retry()).await {
                Ok(finished) => return Ok(finished),
                Err(error) => retry.after(error).await?,
            }
        }
    }

    async fn finish_once(&self, finish: &Finish<'_>, retried: bool) -> Result<Option<Execution>> {
        let job = finish.job;
        // Steps through `$conn`, holding the job's numbering lock: the guarded update, then
        // the final event. Evaluates to the execution and the seq of its final event, if stored
        // now (`Some(.., Some(seq))`) or by an earlier attempt (`Some(.., None)`: its commit
        // sent the notification).
        macro_rules! finish_in {
            ($conn:expr) => {{
                let outcome = finish.outcome;
                let row = sqlx::query_as::<_, JobRow>(COMPLETE)
                    .bind(job.0)
                    .bind(finish.worker_id)
                    .bind(finish.status.as_str())
                    .bind(outcome.exit_code.map(i64::from))
                    .bind(outcome.signal.map(i64::from))
                    .bind(nul_free_opt(&outcome.message))
                    .bind(nul_free(&outcome.stdout))
                    .bind(nul_free(&outcome.stderr))
                    .bind(outcome.stdout_truncated)
                    .bind(outcome.stderr_truncated)
                    .bind(to_i64(outcome.wall_time_ms))
                    .bind(to_i64(outcome.cpu_time_ms))
                    .bind(to_i64(outcome.peak_memory_kib))
                    .bind(finish.finished_at)
                    .bind(finish.result.map(nul_free))
                    .fetch_all(&mut *$conn)
                    .await?
                    .pop();
                match row {
                    Some(row) => {
                        let execution = Execution::try_from(row)?;
                        let event = [JobEvent::finished(&execution, 0)];
                        // The update matched, so no earlier attempt committed anything.
                        let stored =
                            insert_numbered!($conn, job, &event, &mut None::<Vec<JobEvent>>);
                        Some((execution, Some(stored[0].seq())))
                    }
                    None if retried => {
                        const SQL: &str = r#"select * from jobs where id = $1"#;
                        let row = sqlx::query_as::<_, JobRow>(SQL)
                            .bind(job.0)
                            .fetch_optional(&mut *$conn)
                            .await?;
                        let execution = row.map(Execution::try_from).transpose()?;
                        execution
                            .filter(|execution| finish.is_ours(execution))
                            .map(|execution| (execution, None))
                    }
                    None => None,
                }
            }};
        }
        let finished = match self {
            // The one writer connection, held for both statements, keeps other writers out;
            // each statement commits on its own (see `Store::publish` on SQLite and
            // transactions). A server that dies between them dies with its API: the hub then
            // answers from the stored row.
            Store::Sqlite(store) => {
                let mut conn = store.pool.acquire().await?;
                let finished = finish_in!(&mut *conn);
                if let Some((_, Some(seq))) = &finished {
                    store.bus.publish_event(job, *seq).await?;
                }
                finished
            }
            Store::Postgres(store) => {
                let mut tx = store.pool.begin().await?;
                lock_numbering(&mut tx, job).await?;
                let finished = finish_in!(&mut *tx);
                if let Some((_, Some(seq))) = &finished {
                    store.bus.publish_event_in(&mut tx, job, *seq).await?;
                }
                tx.commit().await?;
                finished
            }
        };
        Ok(finished.map(|(execution, _)| execution))
    }
}

impl Finish<'_> {
    /// Whether `execution` is this result, stored by an earlier attempt whose reply was lost:
    /// finished with this status at this exact time (to the microsecond, fixed per call).
    fn is_ours(&self, execution: &Execution) -> bool {
        execution.status == self.status && execution.finished_at == Some(self.finished_at)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use code_remote_core::{JobSpec, Limits, UserId};

    use super::*;
    use crate::{ClaimOptions, QueueCaps};

    #[tokio::test]
    async fn a_retry_after_a_lost_commit_reply_finds_its_result_and_stores_nothing_twice() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
        let store = Store::connect(&url).await.unwrap();
        let spec = JobSpec {
            code: "print(1)".into(),
            stdin: String::new(),
            limits: Limits::default(),
            interactive: false,
            tests: None,
        };
        let caps = QueueCaps {
            max_queued_total: 10,
            max_queued_per_user: 10,
        };
        let job = store.enqueue(UserId::new(), &spec, caps).await.unwrap().id;
        let claim = ClaimOptions {
            worker_id: "w".into(),
            lease: Duration::from_secs(60),
            max_running_per_user: 0,
        };
        store.claim(&claim).await.unwrap().unwrap();
        let outcome = Outcome {
            exit_code: Some(0),
            ..Outcome::default()
        };
        let finish = Finish {
            job,
            worker_id: "w",
            status: JobStatus::Succeeded,
            outcome: &outcome,
            result: None,
            finished_at: crate::now(),
        };
        let first = store.finish_once(&finish, false).await.unwrap().unwrap();
        // The first attempt committed but its reply was lost: the retry finds it.
        let retried = store.finish_once(&finish, true).await.unwrap();
        assert_eq!(retried.as_ref(), Some(&first));
        assert_eq!(
            store.events_since(job, 0).await.unwrap(),
            [JobEvent::finished(&first, 1)]
        );
        // Another call's result (another time) is not taken for this one's.
        let other = Finish {
            finished_at: finish.finished_at + chrono::Duration::milliseconds(1),
            ..finish
        };
        assert_eq!(store.finish_once(&other, true).await.unwrap(), None);
        assert_eq!(store.last_seq(job).await.unwrap(), 1);
    }
}

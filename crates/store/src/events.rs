//! The events a job emitted, kept so late subscribers and other nodes can read them back.
//! Bodies live here; the bus only says "job J has event seq N".

use chrono::{DateTime, Utc};
use code_remote_core::{JobEvent, JobId};

use crate::{
    Error, Result, Store,
    error::conflict_on,
    on_pool,
    rows::{corrupt, to_i64, to_u64},
};

/// Events per insert statement (SQLite allows 32,766 bound values; three per event).
const EVENTS_PER_STATEMENT: usize = 500;

impl Store {
    /// Stores events and announces the last one on the bus, so subscribers on every node read
    /// them. The one way events are published; `seq` is assigned by the caller.
    pub async fn publish_events(&self, job: JobId, events: &[JobEvent]) -> Result<()> {
        let Some(last) = events.last().map(JobEvent::seq) else {
            return Ok(());
        };
        self.append_events(job, events).await?;
        self.bus().publish_event(job, last).await
    }

    /// Stores events whose `seq` the caller assigned; a repeated `(job, seq)` is a `Conflict`
    /// and stores none of that batch's statement.
    pub async fn append_events(&self, job: JobId, events: &[JobEvent]) -> Result<()> {
        let mut encoded = Vec::with_capacity(events.len());
        for event in events {
            let body = serde_json::to_string(event).map_err(|source| Error::Encode {
                what: "job event",
                source,
            })?;
            encoded.push((to_i64(event.seq()), body));
        }
        for chunk in encoded.chunks(EVENTS_PER_STATEMENT) {
            on_pool!(self, pool => {
                let mut insert = sqlx::QueryBuilder::new("insert into job_events (job_id, seq, body) ");
                insert.push_values(chunk, |mut row, (seq, body)| {
                    row.push_bind(job.0).push_bind(*seq).push_bind(body.as_str());
                });
                insert.build().execute(pool).await.map_err(conflict_on("event sequence number"))?;
            });
        }
        Ok(())
    }

    /// The job's events with `seq > after_seq`, in order.
    pub async fn events_since(&self, job: JobId, after_seq: u64) -> Result<Vec<JobEvent>> {
        const SQL: &str =
            r#"select body from job_events where job_id = $1 and seq > $2 order by seq"#;
        let bodies: Vec<String> = on_pool!(self, read pool => sqlx::query_scalar(SQL)
            .bind(job.0)
            .bind(to_i64(after_seq))
            .fetch_all(pool)
            .await?);
        bodies
            .iter()
            .map(|body| serde_json::from_str(body).map_err(|error| corrupt("job_events", error)))
            .collect()
    }

    /// The highest stored `seq` of the job, 0 when it has none.
    pub async fn last_seq(&self, job: JobId) -> Result<u64> {
        const SQL: &str = r#"select coalesce(max(seq), 0) from job_events where job_id = $1"#;
        let seq: i64 =
            on_pool!(self, read pool => sqlx::query_scalar(SQL).bind(job.0).fetch_one(pool).await?);
        Ok(to_u64(seq))
    }

    /// Deletes the stored events of jobs that finished before `finished_before` (their
    /// execution objects keep the output); returns how many events went.
    pub async fn prune_events(&self, finished_before: DateTime<Utc>) -> Result<u64> {
        const SQL: &str = r#"
            delete from job_events
            where job_id in (select id from jobs where finished_at < $1)
        "#;
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(finished_before)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted)
    }
}

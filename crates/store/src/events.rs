//! The events a job emitted, kept so late subscribers and other nodes can read them back.
//! Bodies live here; the bus only says "job J has event seq N".

use chrono::{DateTime, Utc};
use code_remote_core::{JobEvent, JobId};

use crate::{
    Error, Result, Store, on_pool,
    rows::{corrupt, to_i64, to_u64},
};

/// Events per insert statement (SQLite allows 32,766 bound values; three per event).
pub(crate) const EVENTS_PER_STATEMENT: usize = 500;

/// The class of PostgreSQL advisory locks under which one job's events are numbered (the
/// two-key form: its key space does not overlap the one-key locks, such as the enqueue lock).
const NUMBERING_LOCK_CLASS: i32 = 0x6576; // "ev"

pub(crate) const LAST_SEQ: &str =
    r#"select coalesce(max(seq), 0) from job_events where job_id = $1"#;

/// Encodes events for the `job_events` table: `(seq, body)`.
pub(crate) fn encode(events: &[JobEvent]) -> Result<Vec<(i64, String)>> {
    events
        .iter()
        .map(|event| {
            let body = serde_json::to_string(event).map_err(|source| Error::Encode {
                what: "job event",
                source,
            })?;
            Ok((to_i64(event.seq()), body))
        })
        .collect()
}

/// Inserts encoded events through `$conn` (a pool or a transaction's connection).
macro_rules! insert_encoded {
    ($conn:expr, $job:expr, $encoded:expr) => {{
        for chunk in $encoded.chunks(crate::events::EVENTS_PER_STATEMENT) {
            let mut insert = sqlx::QueryBuilder::new("insert into job_events (job_id, seq, body) ");
            insert.push_values(chunk, |mut row, (seq, body)| {
                row.push_bind($job.0)
                    .push_bind(*seq)
                    .push_bind(body.as_str());
            });
            insert
                .build()
                .execute($conn)
                .await
                .map_err(crate::error::conflict_on("event sequence number"))?;
        }
    }};
}

/// Numbers `events` after the job's last stored event and inserts them through `$conn`, which
/// holds the job's numbering lock: on PostgreSQL a transaction's connection holding the
/// advisory lock, on SQLite the one writer connection itself. Evaluates to the events as
/// stored.
macro_rules! insert_numbered {
    ($conn:expr, $job:expr, $events:expr) => {{
        let last: i64 = sqlx::query_scalar(crate::events::LAST_SEQ)
            .bind($job.0)
            .fetch_one(&mut *$conn)
            .await?;
        let numbered: Vec<code_remote_core::JobEvent> = $events
            .into_iter()
            .zip(crate::rows::to_u64(last) + 1..)
            .map(|(event, seq)| event.with_seq(seq))
            .collect();
        let encoded = crate::events::encode(&numbered)?;
        crate::events::insert_encoded!(&mut *$conn, $job, encoded);
        numbered
    }};
}
pub(crate) use {insert_encoded, insert_numbered};

/// Takes the lock under which the job's events are numbered, until the transaction ends.
pub(crate) async fn lock_numbering(conn: &mut sqlx::PgConnection, job: JobId) -> Result<()> {
    sqlx::query("select pg_advisory_xact_lock($1, hashtext($2::text))")
        .bind(NUMBERING_LOCK_CLASS)
        .bind(job.0)
        .execute(conn)
        .await?;
    Ok(())
}

impl Store {
    /// Stores events after the job's last one, numbered by the store (the `seq` they carry is
    /// replaced), and announces the last one on the bus, so subscribers on every node read
    /// them. Concurrent publishers of one job get one gap-free sequence. Returns the events
    /// as stored.
    pub async fn publish(&self, job: JobId, events: Vec<JobEvent>) -> Result<Vec<JobEvent>> {
        if events.is_empty() {
            return Ok(events);
        }
        let stored = match self {
            // Holding the one writer connection keeps every other writer of this process out.
            // No explicit transaction: one statement commits or fails alone, and a failed
            // COMMIT (a full disk) cannot leave the shared connection inside a transaction.
            Store::Sqlite(store) => {
                let mut conn = store.pool.acquire().await?;
                insert_numbered!(&mut *conn, job, events)
            }
            Store::Postgres(store) => {
                let mut tx = store.pool.begin().await?;
                lock_numbering(&mut tx, job).await?;
                let stored = insert_numbered!(&mut *tx, job, events);
                tx.commit().await?;
                stored
            }
        };
        if let Some(last) = stored.last() {
            self.bus().publish_event(job, last.seq()).await?;
        }
        Ok(stored)
    }

    /// Stores events with caller-assigned `seq` and announces the last one on the bus.
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
        let encoded = encode(events)?;
        on_pool!(self, pool => insert_encoded!(pool, job, encoded));
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
        let seq: i64 = on_pool!(self, read pool => sqlx::query_scalar(LAST_SEQ).bind(job.0).fetch_one(pool).await?);
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

//! The events a job emitted, kept so late subscribers and other nodes can read them back.
//! Bodies live here; the bus only says "job J has event seq N".

use chrono::{DateTime, Utc};
use code_remote_core::{JobEvent, JobId};

use crate::{
    Error, Result, Store, on_pool,
    retry::Retry,
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

/// The stored events of a job in a range of `seq`, as `(seq, body)`.
pub(crate) const STORED_RANGE: &str = r#"
    select seq, body from job_events where job_id = $1 and seq between $2 and $3 order by seq
"#;

/// Numbers `$events` (a slice) after the job's last stored event and inserts them through
/// `$conn`, which holds the job's numbering lock: on PostgreSQL a transaction's connection
/// holding the advisory lock, on SQLite the one writer connection itself. Evaluates to the
/// events as stored.
///
/// `$earlier` (`&mut Option<Vec<JobEvent>>`) holds what an earlier attempt of the same write
/// numbered. If exactly those rows are stored, that attempt committed after all (its reply
/// lost), and they are the result: nothing is inserted twice.
macro_rules! insert_numbered {
    ($conn:expr, $job:expr, $events:expr, $earlier:expr) => {{
        let committed = match $earlier.as_deref() {
            Some(numbered @ [first, ..]) => {
                let last = numbered.last().unwrap_or(first);
                let stored: Vec<(i64, String)> = sqlx::query_as(crate::events::STORED_RANGE)
                    .bind($job.0)
                    .bind(crate::rows::to_i64(first.seq()))
                    .bind(crate::rows::to_i64(last.seq()))
                    .fetch_all(&mut *$conn)
                    .await?;
                stored == crate::events::encode(numbered)?
            }
            _ => false,
        };
        match $earlier.as_ref() {
            Some(numbered) if committed => numbered.clone(),
            _ => {
                let last: i64 = sqlx::query_scalar(crate::events::LAST_SEQ)
                    .bind($job.0)
                    .fetch_one(&mut *$conn)
                    .await?;
                let numbered: Vec<code_remote_core::JobEvent> = $events
                    .iter()
                    .cloned()
                    .zip(crate::rows::to_u64(last) + 1..)
                    .map(|(event, seq)| event.with_seq(seq))
                    .collect();
                let encoded = crate::events::encode(&numbered)?;
                // Recorded before the insert: if its commit fails, the retry looks for these.
                *$earlier = Some(numbered.clone());
                crate::events::insert_encoded!(&mut *$conn, $job, encoded);
                numbered
            }
        }
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
    /// them. Concurrent publishers of one job get one gap-free sequence. A transient database
    /// failure is retried, and a retry never stores the events twice. Returns the events as
    /// stored.
    pub async fn publish(&self, job: JobId, events: Vec<JobEvent>) -> Result<Vec<JobEvent>> {
        if events.is_empty() {
            return Ok(events);
        }
        let mut retry = Retry::new("publishing job events");
        let mut earlier = None;
        loop {
            match self.publish_once(job, &events, &mut earlier).await {
                Ok(stored) => return Ok(stored),
                Err(error) => retry.after(error).await?,
            }
        }
    }

    async fn publish_once(
        &self,
        job: JobId,
        events: &[JobEvent],
        earlier: &mut Option<Vec<JobEvent>>,
    ) -> Result<Vec<JobEvent>> {
        match self {
            // Holding the one writer connection keeps every other writer of this process out.
            // No explicit transaction: one statement commits or fails alone, and a failed
            // COMMIT (a full disk) cannot leave the shared connection inside a transaction.
            Store::Sqlite(store) => {
                let mut conn = store.pool.acquire().await?;
                let stored = insert_numbered!(&mut *conn, job, events, earlier);
                if let Some(last) = stored.last() {
                    store.bus.publish_event(job, last.seq()).await?;
                }
                Ok(stored)
            }
            // The notification is sent by the commit, so it is never lost on its own.
            Store::Postgres(store) => {
                let mut tx = store.pool.begin().await?;
                lock_numbering(&mut tx, job).await?;
                let stored = insert_numbered!(&mut *tx, job, events, earlier);
                if let Some(last) = stored.last() {
                    store.bus.publish_event_in(&mut tx, job, last.seq()).await?;
                }
                tx.commit().await?;
                Ok(stored)
            }
        }
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

#[cfg(test)]
mod tests {
    use code_remote_core::Stream;

    use super::*;

    fn output(job_id: JobId, data: &str) -> JobEvent {
        JobEvent::Output {
            job_id,
            seq: 0,
            stream: Stream::Stdout,
            data: data.into(),
        }
    }

    #[tokio::test]
    async fn a_retry_after_a_lost_commit_reply_stores_nothing_twice() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
        let store = Store::connect(&url).await.unwrap();
        let job = JobId::new();
        let events = [output(job, "a"), output(job, "b")];
        let mut earlier = None;
        let first = store
            .publish_once(job, &events, &mut earlier)
            .await
            .unwrap();
        // The first attempt committed but its reply was lost: the retry finds it.
        let retried = store
            .publish_once(job, &events, &mut earlier)
            .await
            .unwrap();
        assert_eq!(retried, first);
        assert_eq!(store.events_since(job, 0).await.unwrap(), first);

        // An attempt that did not commit, whose seq another publisher took since: numbered
        // afresh after it.
        store
            .publish(job, vec![output(job, "other")])
            .await
            .unwrap();
        let mut lost = Some(vec![output(job, "c").with_seq(3)]);
        let stored = store
            .publish_once(job, &[output(job, "c")], &mut lost)
            .await
            .unwrap();
        assert_eq!(stored, [output(job, "c").with_seq(4)]);
        assert_eq!(store.last_seq(job).await.unwrap(), 4);
    }
}

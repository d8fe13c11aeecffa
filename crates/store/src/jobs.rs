//! Jobs as records: enqueueing under caps, reading, listing with cursors, counting.

use chrono::{DateTime, Utc};
use code_remote_core::{Execution, JobId, JobSpec, JobStatus, UserId};
use uuid::Uuid;

use crate::{
    Error, JobPage, JobQuery, QueueCaps, QueueScope, Result, Store, cursor, on_pool,
    rows::{JobRow, executions, nul_free, to_i64, to_u64},
};

/// Largest page `list_jobs` returns, whatever the caller asks.
pub const MAX_PAGE: u32 = 200;

/// Serialises enqueues on PostgreSQL so the caps hold under concurrency (an arbitrary,
/// fixed advisory-lock key: "crqueue" in ASCII).
const ENQUEUE_LOCK: i64 = 0x0063_7271_7565_7565;

impl Store {
    /// Stores a queued job for `user`, unless that would exceed `caps`.
    pub async fn enqueue(
        &self,
        user: UserId,
        spec: &JobSpec,
        caps: QueueCaps,
    ) -> Result<Execution> {
        // Inserts nothing when a cap is reached; the check and the insert are one statement.
        const SQL: &str = r#"
            insert into jobs (id, user_id, status, code, stdin, limits, created_at, interactive)
            select $1, $2, 'queued', $3, $4, $5, $6, $9
            where (select count(*) from jobs where status = 'queued') < $7
              and (select count(*) from jobs where status = 'queued' and user_id = $2) < $8
            returning *
        "#;
        let limits = serde_json::to_string(&spec.limits).map_err(|source| Error::Encode {
            what: "limits",
            source,
        })?;
        let (id, now) = (JobId::new().0, crate::now());
        // The same statement for both backends, each with its own argument types.
        macro_rules! query {
            () => {
                sqlx::query_as::<_, JobRow>(SQL)
                    .bind(id)
                    .bind(user.0)
                    .bind(nul_free(&spec.code))
                    .bind(nul_free(&spec.stdin))
                    .bind(&limits)
                    .bind(now)
                    .bind(to_i64(caps.max_queued_total))
                    .bind(to_i64(caps.max_queued_per_user))
                    .bind(spec.interactive)
            };
        }
        let row = match self {
            // A SQLite write statement holds the write lock from its start: atomic as it is.
            Store::Sqlite(store) => query!().fetch_optional(&store.pool).await?,
            Store::Postgres(store) => {
                let mut tx = store.pool.begin().await?;
                sqlx::query("select pg_advisory_xact_lock($1)")
                    .bind(ENQUEUE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                let row = query!().fetch_optional(&mut *tx).await?;
                tx.commit().await?;
                row
            }
        };
        match row {
            Some(row) => row.try_into(),
            None => {
                let global = self.queue_depth().await? >= caps.max_queued_total;
                Err(Error::QueueFull {
                    scope: if global {
                        QueueScope::Global
                    } else {
                        QueueScope::User
                    },
                })
            }
        }
    }

    pub async fn job(&self, id: JobId) -> Result<Option<Execution>> {
        const SQL: &str = r#"select * from jobs where id = $1"#;
        let row = on_pool!(self, read pool => sqlx::query_as::<_, JobRow>(SQL).bind(id.0).fetch_optional(pool).await?);
        row.map(Execution::try_from).transpose()
    }

    /// Who owns the job and its status: what a WebSocket message needs to check, without
    /// reading the job's code and output.
    pub async fn job_owner(&self, id: JobId) -> Result<Option<(UserId, JobStatus)>> {
        const SQL: &str = r#"select user_id, status from jobs where id = $1"#;
        let row: Option<(Uuid, String)> = on_pool!(self, read pool => sqlx::query_as(SQL)
            .bind(id.0)
            .fetch_optional(pool)
            .await?);
        row.map(|(user, status)| {
            let status = status
                .parse::<JobStatus>()
                .map_err(|error| crate::rows::corrupt("jobs", error))?;
            Ok((UserId(user), status))
        })
        .transpose()
    }

    /// Jobs newest first, one page at a time (`limit` is clamped to 1..=[`MAX_PAGE`]).
    pub async fn list_jobs(&self, query: JobQuery) -> Result<JobPage> {
        const SQL: &str = r#"
            select * from jobs
            where ($1 is null or user_id = $1)
              and ($2 is null or created_at < $2 or (created_at = $2 and id < $3))
            order by created_at desc, id desc
            limit $4
        "#;
        let limit = query.limit.clamp(1, MAX_PAGE);
        let position = query.cursor.as_deref().map(cursor::decode).transpose()?;
        let (after_at, after_id): (Option<DateTime<Utc>>, Option<Uuid>) =
            position.map(|(at, id)| (at, id.0)).unzip();
        let user: Option<Uuid> = query.user.map(|user| user.0);
        let rows = on_pool!(self, read pool => sqlx::query_as::<_, JobRow>(SQL)
            .bind(user)
            .bind(after_at)
            .bind(after_id)
            // One more than asked tells whether another page follows.
            .bind(i64::from(limit) + 1)
            .fetch_all(pool)
            .await?);
        let mut items = executions(rows)?;
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        let next_cursor = match items.last() {
            Some(last) if more => Some(cursor::encode(last.created_at, last.id)),
            _ => None,
        };
        Ok(JobPage { items, next_cursor })
    }

    /// Jobs waiting for a worker, over all users.
    pub async fn queue_depth(&self) -> Result<u64> {
        const SQL: &str = r#"select count(*) from jobs where status = 'queued'"#;
        let count: i64 =
            on_pool!(self, read pool => sqlx::query_scalar(SQL).fetch_one(pool).await?);
        Ok(to_u64(count))
    }

    pub async fn running_count(&self) -> Result<u64> {
        const SQL: &str = r#"select count(*) from jobs where status = 'running'"#;
        let count: i64 =
            on_pool!(self, read pool => sqlx::query_scalar(SQL).fetch_one(pool).await?);
        Ok(to_u64(count))
    }

    /// `(queued, running)` jobs of one user.
    pub async fn user_job_counts(&self, user: UserId) -> Result<(u64, u64)> {
        const SQL: &str = r#"
            select
                coalesce(sum(case when status = 'queued' then 1 else 0 end), 0),
                coalesce(sum(case when status = 'running' then 1 else 0 end), 0)
            from jobs
            where user_id = $1 and status in ('queued', 'running')
        "#;
        let (queued, running): (i64, i64) =
            on_pool!(self, read pool => sqlx::query_as(SQL).bind(user.0).fetch_one(pool).await?);
        Ok((to_u64(queued), to_u64(running)))
    }

    /// CPU milliseconds used by `user`'s jobs that finished at or after `since`.
    pub async fn cpu_ms_since(&self, user: UserId, since: DateTime<Utc>) -> Result<u64> {
        const SQL: &str = r#"
            select cast(coalesce(sum(cpu_time_ms), 0) as bigint)
            from jobs
            where user_id = $1 and finished_at >= $2
        "#;
        let total: i64 = on_pool!(self, read pool => sqlx::query_scalar(SQL).bind(user.0).bind(since).fetch_one(pool).await?);
        Ok(to_u64(total))
    }
}

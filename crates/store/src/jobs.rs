//! Jobs as records: enqueueing under caps and the CPU quota, reading, listing with cursors,
//! counting.

use chrono::{DateTime, Utc};
use code_remote_core::{Execution, JobId, JobSpec, JobStatus, UserId};
use uuid::Uuid;

use crate::{
    Error, JobKind, JobPage, JobQuery, NewJob, QueueCaps, QueueScope, Result, Store, cursor,
    on_pool,
    rows::{JobRow, cpu_reservation_ms, executions, nul_free, to_i64, to_u64},
};

/// Largest page `list_jobs` returns, whatever the caller asks.
pub const MAX_PAGE: u32 = 200;

/// Serialises enqueues on PostgreSQL so the caps hold under concurrency (an arbitrary,
/// fixed advisory-lock key: "crqueue" in ASCII).
const ENQUEUE_LOCK: i64 = 0x0063_7271_7565_7565;

impl Store {
    /// Stores a queued execution for `user`, unless that would exceed `caps`. No CPU quota
    /// applies: see [`Store::enqueue_job`].
    pub async fn enqueue(
        &self,
        user: UserId,
        spec: &JobSpec,
        caps: QueueCaps,
    ) -> Result<Execution> {
        let job = NewJob {
            user,
            kind: JobKind::Execution,
            spec,
            cpu_quota: None,
        };
        self.enqueue_job(job, caps).await
    }

    /// Stores a queued job, unless that would exceed `caps` or the job's CPU quota. The checks
    /// and the insert are one statement (on PostgreSQL also under one lock for all nodes), so
    /// they hold under concurrent submissions.
    pub async fn enqueue_job(&self, job: NewJob<'_>, caps: QueueCaps) -> Result<Execution> {
        // Inserts nothing when a cap or the quota is reached. `$11` null: no quota. Used CPU
        // counts jobs finished since `$12`; open jobs count their reservation instead.
        const SQL: &str = r#"
            insert into jobs (id, user_id, kind, status, code, stdin, limits, created_at,
                              interactive, cpu_reservation_ms)
            select $1, $2, $13, 'queued', $3, $4, $5, $6, $9, $10
            where (select count(*) from jobs where status = 'queued') < $7
              and (select count(*) from jobs where status = 'queued' and user_id = $2) < $8
              and ($11 is null or (
                  select coalesce(sum(case when status in ('queued', 'running')
                                           then cpu_reservation_ms
                                           else coalesce(cpu_time_ms, 0) end), 0)
                  from jobs
                  where user_id = $2
                    and (status in ('queued', 'running') or finished_at >= $12)
              ) < $11)
            returning *
        "#;
        let spec = job.spec;
        let limits = serde_json::to_string(&spec.limits).map_err(|source| Error::Encode {
            what: "limits",
            source,
        })?;
        let (id, now) = (JobId::new().0, crate::now());
        let (quota_ms, since) = job
            .cpu_quota
            .map(|quota| (to_i64(quota.limit_ms), quota.since))
            .unzip();
        // The same statement for both backends, each with its own argument types.
        macro_rules! query {
            () => {
                sqlx::query_as::<_, JobRow>(SQL)
                    .bind(id)
                    .bind(job.user.0)
                    .bind(nul_free(&spec.code))
                    .bind(nul_free(&spec.stdin))
                    .bind(&limits)
                    .bind(now)
                    .bind(to_i64(caps.max_queued_total))
                    .bind(to_i64(caps.max_queued_per_user))
                    .bind(spec.interactive)
                    .bind(cpu_reservation_ms(&spec.limits))
                    .bind(quota_ms)
                    .bind(since)
                    .bind(job.kind.as_str())
            };
        }
        let row = match self {
            // A SQLite write statement holds the write lock from its start: atomic as it is.
            // All rows, not the first: see `lib.rs` on SQLite and `returning`.
            Store::Sqlite(store) => query!().fetch_all(&store.pool).await?.pop(),
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
        if let Some(row) = row {
            return row.try_into();
        }
        // Refused: say which limit, in the order the statement checks them.
        if self.queue_depth().await? >= caps.max_queued_total {
            return Err(Error::QueueFull {
                scope: QueueScope::Global,
            });
        }
        if let Some(quota) = job.cpu_quota {
            let (used_ms, reserved_ms) = self.cpu_use(job.user, quota.since).await?;
            let (queued, _) = self.user_job_counts(job.user).await?;
            if queued < caps.max_queued_per_user {
                return Err(Error::CpuQuotaExceeded {
                    limit_ms: quota.limit_ms,
                    used_ms,
                    reserved_ms,
                });
            }
        }
        Err(Error::QueueFull {
            scope: QueueScope::User,
        })
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

    /// Executions newest first, one page at a time (`limit` is clamped to 1..=[`MAX_PAGE`]).
    /// Jobs of other kinds (measurements) are not listed: they are part of an analysis.
    pub async fn list_jobs(&self, query: JobQuery) -> Result<JobPage> {
        const SQL: &str = r#"
            select * from jobs
            where kind = 'execution'
              and ($1 is null or user_id = $1)
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
        self.cpu_use(user, since).await.map(|(used, _)| used)
    }

    /// `(used, reserved)` CPU milliseconds of `user`: used by jobs that finished at or after
    /// `since`, and reserved by open jobs (see [`crate::CpuQuota`]).
    pub async fn cpu_use(&self, user: UserId, since: DateTime<Utc>) -> Result<(u64, u64)> {
        const SQL: &str = r#"
            select
                cast(coalesce(sum(case when finished_at >= $2 then cpu_time_ms else 0 end), 0) as bigint),
                cast(coalesce(sum(case when status in ('queued', 'running')
                                       then cpu_reservation_ms else 0 end), 0) as bigint)
            from jobs
            where user_id = $1 and (finished_at >= $2 or status in ('queued', 'running'))
        "#;
        let (used, reserved): (i64, i64) = on_pool!(self, read pool => sqlx::query_as(SQL)
            .bind(user.0)
            .bind(since)
            .fetch_one(pool)
            .await?);
        Ok((to_u64(used), to_u64(reserved)))
    }

    /// What a finished job produced besides its output (a measurement's points and fit, as
    /// JSON); `None` for jobs without one.
    pub async fn job_result(&self, id: JobId) -> Result<Option<String>> {
        const SQL: &str = r#"select result from jobs where id = $1"#;
        let result: Option<Option<String>> = on_pool!(self, read pool => sqlx::query_scalar(SQL)
            .bind(id.0)
            .fetch_optional(pool)
            .await?);
        Ok(result.flatten())
    }
}

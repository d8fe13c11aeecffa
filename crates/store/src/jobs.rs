//! Jobs as records: enqueueing under caps and the CPU quota, reading, listing with cursors,
//! counting.

use chrono::{DateTime, Utc};
use code_remote_core::{Execution, JobId, JobSpec, JobStatus, UserId};
use uuid::Uuid;

use crate::{
    Error, JobKind, NewJob, QueueCaps, QueueScope, Result, Store, on_pool,
    rows::{JobRow, cpu_reservation_ms, executions, nul_free, to_i64, to_u64},
};

mod list;

/// Largest page `list_jobs` returns, whatever the caller asks.
pub const MAX_PAGE: u32 = 200;

/// What a job stores as JSON text.
struct Encoded {
    limits: String,
    tests: Option<String>,
    callback: Option<String>,
}

impl Encoded {
    fn of(job: &NewJob<'_>) -> Result<Self> {
        Ok(Self {
            limits: json("limits", &job.spec.limits)?,
            tests: job
                .spec
                .tests
                .as_ref()
                .map(|t| json("tests", t))
                .transpose()?,
            callback: job.callback.map(|c| json("callback", c)).transpose()?,
        })
    }
}

fn json(what: &'static str, value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|source| Error::Encode { what, source })
}

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
            callback: None,
        };
        self.enqueue_job(job, caps).await
    }

    /// Stores a queued job, unless that would exceed `caps` or the job's CPU quota. The checks
    /// and the insert are one statement (on PostgreSQL also under one lock for all nodes), so
    /// they hold under concurrent submissions.
    pub async fn enqueue_job(&self, job: NewJob<'_>, caps: QueueCaps) -> Result<Execution> {
        let mut queued = self.enqueue_jobs(&[job], caps).await?;
        Ok(queued.remove(0))
    }

    /// Stores several queued jobs in order, all or none: one transaction, each insert checked
    /// against `caps` and its CPU quota with the ones before it counted.
    pub async fn enqueue_jobs(
        &self,
        jobs: &[NewJob<'_>],
        caps: QueueCaps,
    ) -> Result<Vec<Execution>> {
        // Inserts nothing when a cap or the quota is reached. `$11` null: no quota. Used CPU
        // counts jobs finished since `$12`; open jobs count their reservation instead.
        const SQL: &str = r#"
            insert into jobs (id, user_id, kind, status, code, stdin, limits, created_at,
                              interactive, cpu_reservation_ms, tests, callback, callback_pending)
            select $1, $2, $13, 'queued', $3, $4, $5, $6, $9, $10, $14, $15, $16
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
        // The same statement for both backends, each with its own argument types.
        macro_rules! query {
            ($job:expr, $encoded:expr) => {{
                let (job, encoded): (&NewJob<'_>, &Encoded) = ($job, $encoded);
                let spec = job.spec;
                let (quota_ms, since) = job
                    .cpu_quota
                    .map(|quota| (to_i64(quota.limit_ms), quota.since))
                    .unzip();
                sqlx::query_as::<_, JobRow>(SQL)
                    .bind(JobId::new().0)
                    .bind(job.user.0)
                    .bind(nul_free(&spec.code))
                    .bind(nul_free(&spec.stdin))
                    .bind(encoded.limits.clone())
                    .bind(crate::now())
                    .bind(to_i64(caps.max_queued_total))
                    .bind(to_i64(caps.max_queued_per_user))
                    .bind(spec.interactive)
                    .bind(cpu_reservation_ms(spec))
                    .bind(quota_ms)
                    .bind(since)
                    .bind(job.kind.as_str())
                    .bind(encoded.tests.clone())
                    .bind(encoded.callback.clone())
                    .bind(job.callback.is_some())
            }};
        }
        let encoded = jobs.iter().map(Encoded::of).collect::<Result<Vec<_>>>()?;
        let mut rows = Vec::with_capacity(jobs.len());
        let refused = match self {
            // A SQLite write statement holds the write lock from its start: one job needs no
            // transaction (the common path stays one statement).
            Store::Sqlite(store) if jobs.len() == 1 => {
                // All rows, not the first: see `lib.rs` on SQLite and `returning`.
                let row = query!(&jobs[0], &encoded[0])
                    .fetch_all(&store.pool)
                    .await?
                    .pop();
                let refused = row.is_none().then_some(0);
                rows.extend(row);
                refused
            }
            // Several: the transaction keeps the write lock until the last insert.
            Store::Sqlite(store) => {
                let mut tx = store.pool.begin().await?;
                let mut refused = None;
                for (index, (job, encoded)) in jobs.iter().zip(&encoded).enumerate() {
                    // All rows, not the first: see `lib.rs` on SQLite and `returning`.
                    match query!(job, encoded).fetch_all(&mut *tx).await?.pop() {
                        Some(row) => rows.push(row),
                        None => {
                            refused = Some(index);
                            break;
                        }
                    }
                }
                if refused.is_none() {
                    tx.commit().await?;
                }
                refused
            }
            Store::Postgres(store) => {
                let mut tx = store.pool.begin().await?;
                sqlx::query("select pg_advisory_xact_lock($1)")
                    .bind(ENQUEUE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                let mut refused = None;
                for (index, (job, encoded)) in jobs.iter().zip(&encoded).enumerate() {
                    match query!(job, encoded).fetch_optional(&mut *tx).await? {
                        Some(row) => rows.push(row),
                        None => {
                            refused = Some(index);
                            break;
                        }
                    }
                }
                if refused.is_none() {
                    tx.commit().await?;
                }
                refused
            }
        };
        let Some(index) = refused else {
            return executions(rows);
        };
        // Refused (and rolled back): say which limit, in the order the statement checks them,
        // counting the jobs of this call that were inserted before the refused one.
        let job = jobs[index];
        let before = index as u64;
        if self.queue_depth().await? + before >= caps.max_queued_total {
            return Err(Error::QueueFull {
                scope: QueueScope::Global,
            });
        }
        if let Some(quota) = job.cpu_quota {
            let (used_ms, reserved_ms) = self.cpu_use(job.user, quota.since).await?;
            let (queued, _) = self.user_job_counts(job.user).await?;
            if queued + before < caps.max_queued_per_user {
                let batch_ms: i64 = jobs[..index]
                    .iter()
                    .map(|job| cpu_reservation_ms(job.spec))
                    .sum();
                return Err(Error::CpuQuotaExceeded {
                    limit_ms: quota.limit_ms,
                    used_ms,
                    reserved_ms: reserved_ms + to_u64(batch_ms),
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

//! The queue: claiming jobs under leases, heartbeats, completion, cancellation, recovery of
//! jobs whose worker vanished, and release on shutdown.
//!
//! Invariant: a job finishes at most once. Every transition out of `running` is guarded by
//! `status = 'running' and lease_owner = <worker>`, so a worker whose lease was lost (and the
//! job requeued or failed) can no longer complete it.
//!
//! Lease deadlines use the database clock on PostgreSQL (nodes' clocks may disagree) and the
//! local clock on SQLite (one machine).

use std::time::Duration;

use code_remote_core::{Execution, JobId, JobStatus, Outcome};

use crate::{
    CancelResult, Error, Lease, Result, Store, on_pool,
    rows::{JobRow, executions, nul_free, nul_free_opt, to_i64},
};

mod claim;
mod finish;

/// Longer leases are cut to this, so deadline arithmetic can never overflow.
const MAX_LEASE: Duration = Duration::from_secs(24 * 60 * 60);

/// A lease in milliseconds, at most [`MAX_LEASE`].
pub(crate) fn millis(lease: Duration) -> i64 {
    i64::try_from(lease.min(MAX_LEASE).as_millis()).unwrap_or(i64::MAX)
}

pub(crate) fn deadline(lease: Duration) -> chrono::DateTime<chrono::Utc> {
    crate::now() + chrono::Duration::milliseconds(millis(lease))
}

/// Stores a job's result, if `$2` still holds it.
pub(crate) const COMPLETE: &str = r#"
    update jobs set
        status = $3, exit_code = $4, signal = $5, message = $6,
        stdout = $7, stderr = $8, stdout_truncated = $9, stderr_truncated = $10,
        wall_time_ms = $11, cpu_time_ms = $12, peak_memory_kib = $13,
        finished_at = $14, lease_owner = null, lease_expires_at = null, result = $15
    where id = $1 and status = 'running' and lease_owner = $2
    returning *
"#;

impl Store {
    /// Extends the lease of a job this worker runs, and reports a pending cancel request.
    pub async fn heartbeat(&self, job: JobId, worker_id: &str, lease: Duration) -> Result<Lease> {
        const SQLITE: &str = r#"
            update jobs set lease_expires_at = $3
            where id = $1 and status = 'running' and lease_owner = $2
            returning cancel_requested
        "#;
        const POSTGRES: &str = r#"
            update jobs set lease_expires_at = now() + $3 * interval '1 millisecond'
            where id = $1 and status = 'running' and lease_owner = $2
            returning cancel_requested
        "#;
        let cancel: Option<bool> = match self {
            Store::Sqlite(store) => sqlx::query_scalar(SQLITE)
                .bind(job.0)
                .bind(worker_id)
                .bind(deadline(lease))
                .fetch_all(&store.pool)
                .await?
                .pop(),
            Store::Postgres(store) => {
                sqlx::query_scalar(POSTGRES)
                    .bind(job.0)
                    .bind(worker_id)
                    .bind(millis(lease) as f64)
                    .fetch_optional(&store.pool)
                    .await?
            }
        };
        Ok(match cancel {
            Some(cancel_requested) => Lease::Held { cancel_requested },
            None => Lease::Lost,
        })
    }

    /// Stores the result of a job this worker still holds; `None` if the lease was lost
    /// (the job was requeued, failed or cancelled meanwhile), so no job finishes twice.
    pub async fn complete(
        &self,
        job: JobId,
        worker_id: &str,
        status: JobStatus,
        outcome: &Outcome,
    ) -> Result<Option<Execution>> {
        self.complete_with_result(job, worker_id, status, outcome, None)
            .await
    }

    /// [`Store::complete`], also storing what the job produced besides its output (a
    /// measurement's JSON, read back with [`Store::job_result`]).
    pub async fn complete_with_result(
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
        let row = on_pool!(self, pool => sqlx::query_as::<_, JobRow>(COMPLETE)
            .bind(job.0)
            .bind(worker_id)
            .bind(status.as_str())
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
            .bind(crate::now())
            .bind(result.map(nul_free))
            .fetch_all(pool)
            .await?
            .pop());
        row.map(Execution::try_from).transpose()
    }

    /// Cancels a queued job at once, or asks the worker of a running one to stop it.
    pub async fn request_cancel(&self, job: JobId) -> Result<CancelResult> {
        // One statement, so a job being claimed or released meanwhile is seen in one state.
        // In `set`, `status` is the old value; in `returning`, the new one.
        const SQL: &str = r#"
            update jobs set
                status = case when status = 'queued' then 'cancelled' else status end,
                message = case when status = 'queued' then 'cancelled before it started' else message end,
                finished_at = case when status = 'queued' then $2 else finished_at end,
                cancel_requested = case when status = 'running' then true else cancel_requested end
            where id = $1 and status in ('queued', 'running')
            returning *
        "#;
        let row = on_pool!(self, pool => sqlx::query_as::<_, JobRow>(SQL)
            .bind(job.0)
            .bind(crate::now())
            .fetch_all(pool)
            .await?
            .pop());
        if let Some(row) = row {
            let execution = Execution::try_from(row)?;
            return Ok(match execution.status {
                JobStatus::Cancelled => CancelResult::Cancelled(execution),
                _ => CancelResult::Requested,
            });
        }
        // Terminal states are final, so a job that was not open is finished or unknown.
        Ok(match self.job(job).await? {
            Some(execution) => CancelResult::AlreadyFinished(execution),
            None => CancelResult::NotFound,
        })
    }

    /// Running jobs whose lease expired go back to the queue, or, after `max_attempts` claims,
    /// end as `internal_error` (or `cancelled`, if a cancel was pending). Returns the jobs that
    /// became terminal.
    pub async fn requeue_expired(&self, max_attempts: u32) -> Result<Vec<Execution>> {
        const SQLITE: &str = r#"
            update jobs set
                status = case
                    when cancel_requested then 'cancelled'
                    when attempts < $1 then 'queued'
                    else 'internal_error' end,
                message = case
                    when cancel_requested then 'cancelled; the worker running it stopped responding'
                    when attempts < $1 then null
                    else 'the worker running this job stopped responding (' || attempts || ' attempts)' end,
                finished_at = case when cancel_requested or attempts >= $1 then $2 else null end,
                lease_owner = null,
                lease_expires_at = null
            where status = 'running' and lease_expires_at < $2
            returning *
        "#;
        const POSTGRES: &str = r#"
            update jobs set
                status = case
                    when cancel_requested then 'cancelled'
                    when attempts < $1 then 'queued'
                    else 'internal_error' end,
                message = case
                    when cancel_requested then 'cancelled; the worker running it stopped responding'
                    when attempts < $1 then null
                    else 'the worker running this job stopped responding (' || attempts || ' attempts)' end,
                finished_at = case when cancel_requested or attempts >= $1 then $2 else null end,
                lease_owner = null,
                lease_expires_at = null
            where status = 'running' and lease_expires_at < now()
            returning *
        "#;
        let max = i64::from(max_attempts);
        let rows = match self {
            Store::Sqlite(store) => {
                sqlx::query_as::<_, JobRow>(SQLITE)
                    .bind(max)
                    .bind(crate::now())
                    .fetch_all(&store.pool)
                    .await?
            }
            Store::Postgres(store) => {
                sqlx::query_as::<_, JobRow>(POSTGRES)
                    .bind(max)
                    .bind(crate::now())
                    .fetch_all(&store.pool)
                    .await?
            }
        };
        let mut changed = executions(rows)?;
        changed.retain(|execution| execution.status.is_terminal());
        Ok(changed)
    }

    /// Gives back a running job this worker will not finish (graceful shutdown): it is queued
    /// again and the claim does not count as an attempt. A job with a pending cancel request
    /// is cancelled instead. `false` if this worker does not hold the job.
    pub async fn release(&self, job: JobId, worker_id: &str) -> Result<bool> {
        const SQL: &str = r#"
            update jobs set
                status = case when cancel_requested then 'cancelled' else 'queued' end,
                finished_at = case when cancel_requested then $3 else null end,
                message = case when cancel_requested then 'cancelled' else message end,
                attempts = case when cancel_requested then attempts else attempts - 1 end,
                started_at = case when attempts <= 1 and not cancel_requested then null else started_at end,
                lease_owner = null,
                lease_expires_at = null
            where id = $1 and status = 'running' and lease_owner = $2
        "#;
        let done = on_pool!(self, pool => sqlx::query(SQL)
            .bind(job.0)
            .bind(worker_id)
            .bind(crate::now())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(done > 0)
    }
}

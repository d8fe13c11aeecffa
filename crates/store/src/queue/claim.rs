//! Claiming: the oldest queued job whose user runs fewer than `max_running_per_user` jobs
//! (per-user FIFO, like SQS message groups), taken under a lease.
//!
//! Users at their limit are found first (one pass over the running jobs) and skipped, so a
//! claim never counts running jobs once per queued row.

use sqlx::{PgPool, SqlitePool};
use uuid::Uuid;

use super::{deadline, millis};
use crate::{
    ClaimOptions, Claimed, Result, Store,
    rows::{JobRow, claimed},
};

/// How often a PostgreSQL claim tries another user when concurrent claims took the last
/// running slot of the one it picked.
const PG_CLAIM_ROUNDS: usize = 8;

impl Store {
    /// Claims the next job for `opts.worker_id`, or `None` when no job may start now.
    pub async fn claim(&self, opts: &ClaimOptions) -> Result<Option<Claimed>> {
        let row = match self {
            Store::Sqlite(store) => claim_sqlite(&store.pool, opts).await?,
            Store::Postgres(store) => match opts.max_running_per_user {
                0 => claim_pg_any(&store.pool, opts).await?,
                limit => claim_pg_limited(&store.pool, opts, limit).await?,
            },
        };
        row.map(claimed).transpose()
    }
}

/// SQLite runs one writer at a time and a write statement holds the lock from its start,
/// so picking and taking in one statement is atomic, per-user limit included.
async fn claim_sqlite(pool: &SqlitePool, opts: &ClaimOptions) -> Result<Option<JobRow>> {
    const ANY: &str = r#"
        update jobs set
            status = 'running',
            started_at = coalesce(started_at, $1),
            attempts = attempts + 1,
            lease_owner = $2,
            lease_expires_at = $3,
            cancel_requested = false
        where id = (
            select id from jobs where status = 'queued' order by created_at, id limit 1
        )
        returning *
    "#;
    const LIMITED: &str = r#"
        update jobs set
            status = 'running',
            started_at = coalesce(started_at, $1),
            attempts = attempts + 1,
            lease_owner = $2,
            lease_expires_at = $3,
            cancel_requested = false
        where id = (
            select j.id from jobs j
            where j.status = 'queued'
              and j.user_id not in (
                  select user_id from jobs where status = 'running'
                  group by user_id having count(*) >= $4
              )
            order by j.created_at, j.id
            limit 1
        )
        returning *
    "#;
    let sql = if opts.max_running_per_user == 0 {
        ANY
    } else {
        LIMITED
    };
    let row = sqlx::query_as::<_, JobRow>(sql)
        .bind(crate::now())
        .bind(&opts.worker_id)
        .bind(deadline(opts.lease))
        .bind(i64::from(opts.max_running_per_user))
        // All rows, not the first: see `lib.rs` on SQLite and `returning`.
        .fetch_all(pool)
        .await?
        .pop();
    Ok(row)
}

/// Without a per-user limit, `skip locked` alone lets many claimers on many nodes each take
/// a different job, in one statement.
async fn claim_pg_any(pool: &PgPool, opts: &ClaimOptions) -> Result<Option<JobRow>> {
    const SQL: &str = r#"
        update jobs set
            status = 'running',
            started_at = coalesce(started_at, $1),
            attempts = attempts + 1,
            lease_owner = $2,
            lease_expires_at = now() + $3 * interval '1 millisecond',
            cancel_requested = false
        where id = (
            select id from jobs where status = 'queued'
            order by created_at, id
            limit 1
            for update skip locked
        )
        returning *
    "#;
    let row = sqlx::query_as::<_, JobRow>(SQL)
        .bind(crate::now())
        .bind(&opts.worker_id)
        .bind(millis(opts.lease) as f64)
        .fetch_optional(pool)
        .await?;
    Ok(row)
}

/// With a per-user limit, two claimers could each pick a different job of the same user and
/// together exceed it. So the claimer takes the user's advisory lock, then re-checks the
/// count in a statement that starts after the lock is held (and so sees every claim
/// committed before), and tries another user when the slot is gone.
async fn claim_pg_limited(
    pool: &PgPool,
    opts: &ClaimOptions,
    limit: u32,
) -> Result<Option<JobRow>> {
    // The CTE locks the job row (it is never inlined: it has `for update`); the outer select
    // then takes the user's advisory lock, once, for the one row picked.
    const PICK_AND_LOCK: &str = r#"
        with picked as (
            select j.id, j.user_id from jobs j
            where j.status = 'queued'
              and j.user_id not in (
                  select user_id from jobs where status = 'running'
                  group by user_id having count(*) >= $1
              )
              and j.user_id <> all($2)
            order by j.created_at, j.id
            limit 1
            for update of j skip locked
        )
        select id, user_id, pg_advisory_xact_lock(hashtextextended(user_id::text, 0))::text
        from picked
    "#;
    const TAKE: &str = r#"
        update jobs set
            status = 'running',
            started_at = coalesce(started_at, $3),
            attempts = attempts + 1,
            lease_owner = $4,
            lease_expires_at = now() + $5 * interval '1 millisecond',
            cancel_requested = false
        where id = $1
          and (select count(*) from jobs where user_id = $2 and status = 'running') < $6
        returning *
    "#;
    let limit = i64::from(limit);
    let mut skipped: Vec<Uuid> = Vec::new();
    for _ in 0..PG_CLAIM_ROUNDS {
        let mut tx = pool.begin().await?;
        let picked: Option<(Uuid, Uuid, String)> = sqlx::query_as(PICK_AND_LOCK)
            .bind(limit)
            .bind(&skipped)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((job, user, _locked)) = picked else {
            return Ok(None);
        };
        let row = sqlx::query_as::<_, JobRow>(TAKE)
            .bind(job)
            .bind(user)
            .bind(crate::now())
            .bind(&opts.worker_id)
            .bind(millis(opts.lease) as f64)
            .bind(limit)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = row {
            tx.commit().await?;
            return Ok(Some(row));
        }
        tx.rollback().await?;
        skipped.push(user);
    }
    Ok(None)
}

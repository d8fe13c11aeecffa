//! Signed callbacks: each user's signing secret, and durable deliveries.
//!
//! A job submitted with a callback is flagged `callback_pending`. Once it has ended, the
//! delivery loop (on any API node) renders its body and calls [`Store::create_delivery`], which
//! inserts the delivery and clears the flag in one transaction. Deliveries are then claimed
//! under a lease like jobs ([`Store::claim_deliveries`]), so a node that dies mid-attempt loses
//! nothing: the lease runs out and another attempt follows under the same id (at least once).
//!
//! This module neither signs nor sends anything, nor checks where a URL points: the API does.

use std::time::Duration;

use chrono::{DateTime, Utc};
use code_remote_core::{JobId, UserId};
use uuid::Uuid;

use crate::{
    Callback, Error, Result, Store, on_pool,
    queue::deadline,
    rows::{corrupt, nul_free, to_u64},
};

/// Where a delivery is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its next attempt (or in one).
    Pending,
    /// A receiver answered 2xx.
    Delivered,
    /// Given up; `last_error` says why.
    Failed,
}

impl DeliveryState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        [Self::Pending, Self::Delivered, Self::Failed]
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| corrupt("webhook_deliveries", format!("unknown state {text:?}")))
    }
}

/// A delivery to create for a finished job.
#[derive(Clone, Debug)]
pub struct NewDelivery {
    pub job: JobId,
    pub user: UserId,
    pub url: String,
    /// `POST`, or `PUT` for Judge0.
    pub method: String,
    /// The JSON body, exactly as it is signed and sent on every attempt.
    pub body: String,
}

/// One delivery: what is sent, and how its attempts went.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// Also the `webhook-id` of every attempt.
    pub id: Uuid,
    pub job: JobId,
    pub user: UserId,
    pub url: String,
    pub method: String,
    pub body: String,
    pub state: DeliveryState,
    /// Attempts started so far.
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    /// The HTTP status of the last answer, if there was one.
    pub last_status: Option<u16>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// How an attempt went.
#[derive(Clone, Debug)]
pub enum AttemptResult {
    Delivered {
        status: u16,
    },
    /// Failed; try again at `at`.
    Retry {
        error: String,
        status: Option<u16>,
        at: DateTime<Utc>,
    },
    /// Failed for good.
    GiveUp {
        error: String,
        status: Option<u16>,
    },
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: Uuid,
    job_id: Uuid,
    user_id: Uuid,
    url: String,
    method: String,
    body: String,
    state: String,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
    last_status: Option<i64>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

impl TryFrom<DeliveryRow> for Delivery {
    type Error = Error;
    fn try_from(row: DeliveryRow) -> Result<Self> {
        Ok(Self {
            id: row.id,
            job: JobId(row.job_id),
            user: UserId(row.user_id),
            url: row.url,
            method: row.method,
            body: row.body,
            state: DeliveryState::parse(&row.state)?,
            attempts: u32::try_from(row.attempts).unwrap_or(u32::MAX),
            next_attempt_at: row.next_attempt_at,
            last_error: row.last_error,
            last_status: row.last_status.and_then(|s| u16::try_from(s).ok()),
            created_at: row.created_at,
            finished_at: row.finished_at,
        })
    }
}

fn deliveries(rows: Vec<DeliveryRow>) -> Result<Vec<Delivery>> {
    rows.into_iter().map(Delivery::try_from).collect()
}

impl Store {
    /// Stores `secret` as `user`'s signing secret, replacing any other.
    pub async fn set_webhook_secret(&self, user: UserId, secret: &str) -> Result<DateTime<Utc>> {
        const SQL: &str = r#"
            insert into webhook_secrets (user_id, secret, created_at) values ($1, $2, $3)
            on conflict (user_id) do update set secret = excluded.secret,
                                                created_at = excluded.created_at
        "#;
        let now = crate::now();
        on_pool!(self, pool => sqlx::query(SQL)
            .bind(user.0)
            .bind(secret)
            .bind(now)
            .execute(pool)
            .await
            .map(drop)?);
        Ok(now)
    }

    /// `user`'s signing secret and when it was made.
    pub async fn webhook_secret(&self, user: UserId) -> Result<Option<(String, DateTime<Utc>)>> {
        const SQL: &str = r#"select secret, created_at from webhook_secrets where user_id = $1"#;
        Ok(on_pool!(self, read pool => sqlx::query_as(SQL)
            .bind(user.0)
            .fetch_optional(pool)
            .await?))
    }

    /// Deletes `user`'s signing secret; `false` if there was none.
    pub async fn delete_webhook_secret(&self, user: UserId) -> Result<bool> {
        const SQL: &str = r#"delete from webhook_secrets where user_id = $1"#;
        let done = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user.0)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(done > 0)
    }

    /// Ended jobs whose delivery is still to be created, oldest first.
    pub async fn pending_callbacks(&self, limit: u32) -> Result<Vec<(JobId, Callback)>> {
        const SQL: &str = r#"
            select id, callback from jobs
            where callback_pending and finished_at is not null
            order by finished_at
            limit $1
        "#;
        let rows: Vec<(Uuid, Option<String>)> = on_pool!(self, read pool => sqlx::query_as(SQL)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|(id, callback)| {
                let callback = serde_json::from_str(callback.as_deref().unwrap_or("null"))
                    .map_err(|e| corrupt("jobs", e))?;
                Ok((JobId(id), callback))
            })
            .collect()
    }

    /// Creates the delivery of a finished job and clears its `callback_pending`, together. A
    /// job whose delivery exists already (another node was first) keeps that one: `false`.
    pub async fn create_delivery(&self, new: &NewDelivery) -> Result<bool> {
        const INSERT: &str = r#"
            insert into webhook_deliveries (id, job_id, user_id, url, method, body, state,
                                            next_attempt_at, created_at)
            values ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)
            on conflict (job_id) do nothing
        "#;
        const CLEAR: &str = r#"update jobs set callback_pending = false where id = $1"#;
        let now = crate::now();
        macro_rules! create {
            ($pool:expr) => {{
                let mut tx = $pool.begin().await?;
                let created = sqlx::query(INSERT)
                    .bind(Uuid::now_v7())
                    .bind(new.job.0)
                    .bind(new.user.0)
                    .bind(nul_free(&new.url))
                    .bind(&new.method)
                    .bind(nul_free(&new.body))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                sqlx::query(CLEAR).bind(new.job.0).execute(&mut *tx).await?;
                tx.commit().await?;
                created > 0
            }};
        }
        Ok(match self {
            Store::Sqlite(store) => create!(store.pool),
            Store::Postgres(store) => create!(store.pool),
        })
    }

    /// Takes up to `limit` deliveries that are due and not leased (or whose lease ran out),
    /// leases them to `owner` and counts the attempt.
    pub async fn claim_deliveries(
        &self,
        owner: &str,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        const SQLITE: &str = r#"
            update webhook_deliveries set
                lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1
            where id in (
                select id from webhook_deliveries
                where state = 'pending' and next_attempt_at <= $3
                  and (lease_expires_at is null or lease_expires_at < $3)
                order by next_attempt_at
                limit $4
            )
            returning *
        "#;
        const POSTGRES: &str = r#"
            update webhook_deliveries set
                lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1
            where id in (
                select id from webhook_deliveries
                where state = 'pending' and next_attempt_at <= $3
                  and (lease_expires_at is null or lease_expires_at < $3)
                order by next_attempt_at
                limit $4
                for update skip locked
            )
            returning *
        "#;
        let sql = match self {
            Store::Sqlite(_) => SQLITE,
            Store::Postgres(_) => POSTGRES,
        };
        let rows = on_pool!(self, pool => sqlx::query_as::<_, DeliveryRow>(sql)
            .bind(owner)
            .bind(deadline(lease))
            .bind(crate::now())
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?);
        deliveries(rows)
    }

    /// Records how the attempt of a delivery `owner` holds went; `false` if the lease was lost.
    pub async fn finish_attempt(
        &self,
        id: Uuid,
        owner: &str,
        result: &AttemptResult,
    ) -> Result<bool> {
        const SQL: &str = r#"
            update webhook_deliveries set
                state = $3, next_attempt_at = $4, last_error = $5, last_status = $6,
                finished_at = $7, lease_owner = null, lease_expires_at = null
            where id = $1 and lease_owner = $2 and state = 'pending'
        "#;
        let now = crate::now();
        let (state, next, error, status) = match result {
            AttemptResult::Delivered { status } => {
                (DeliveryState::Delivered, now, None, Some(*status))
            }
            AttemptResult::Retry { error, status, at } => {
                (DeliveryState::Pending, *at, Some(error), *status)
            }
            AttemptResult::GiveUp { error, status } => {
                (DeliveryState::Failed, now, Some(error), *status)
            }
        };
        let finished = (state != DeliveryState::Pending).then_some(now);
        let done = on_pool!(self, pool => sqlx::query(SQL)
            .bind(id)
            .bind(owner)
            .bind(state.as_str())
            .bind(next)
            .bind(error.map(|e| nul_free(e).into_owned()))
            .bind(status.map(i64::from))
            .bind(finished)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(done > 0)
    }

    /// The deliveries of one job (at most one today), newest first.
    pub async fn job_deliveries(&self, job: JobId) -> Result<Vec<Delivery>> {
        const SQL: &str =
            r#"select * from webhook_deliveries where job_id = $1 order by created_at desc"#;
        let rows = on_pool!(self, read pool => sqlx::query_as::<_, DeliveryRow>(SQL)
            .bind(job.0)
            .fetch_all(pool)
            .await?);
        deliveries(rows)
    }

    /// How many deliveries wait for an attempt, over all users (for metrics and tests).
    pub async fn pending_delivery_count(&self) -> Result<u64> {
        const SQL: &str = r#"select count(*) from webhook_deliveries where state = 'pending'"#;
        let count: i64 =
            on_pool!(self, read pool => sqlx::query_scalar(SQL).fetch_one(pool).await?);
        Ok(to_u64(count))
    }
}

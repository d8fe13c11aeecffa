//! Jobs, queue, users, API keys, audit log and job events on SQLite or PostgreSQL.
//!
//! [`Store`] is an enum over the two backends, so callers hold one concrete type and never a
//! trait object. Most SQL is the same text on both backends (`$1` placeholders work on SQLite
//! too); the queue's claim and lease SQL differ, because PostgreSQL serves many nodes at once
//! (`for update skip locked`, database clock for lease deadlines) while SQLite serialises
//! writers (one `update … returning`).
//!
//! [`Bus`] carries small cross-node signals (an event was appended, a job was queued, a
//! control message for a running job). It never carries event bodies: those are read back
//! from the events table.
//!
//! This crate does not run jobs, check permissions or hash secrets: callers do.
//!
//! Load-bearing, for SQLite: a write with `returning` outside an explicit transaction is
//! committed only when its statement is stepped to the end, after the last row. `fetch_one` and
//! `fetch_optional` stop at the first row, so a failed commit (a full disk) would go unseen and
//! the caller would be told the write succeeded. Such writes use `fetch_all`, which steps to
//! the end and returns the commit's error.

mod artifacts;
mod audit;
pub mod bus;
mod connect;
mod cursor;
mod error;
mod events;
mod invitations;
mod jobs;
mod keys;
mod model;
mod queue;
mod retry;
mod rows;
mod users;
mod webhooks;

pub use artifacts::NewArtifact;
pub use bus::{Bus, Control};
pub use connect::{PgStore, SqliteStore};
pub use error::{Error, Result};
pub use invitations::NewInvitation;
pub use jobs::MAX_PAGE;
pub use model::{
    ApiKey, AuditEntry, Callback, CancelResult, ClaimOptions, Claimed, CpuQuota, JobKind, JobPage,
    JobQuery, Judge0Callback, Lease, NewApiKey, NewAuditEntry, NewJob, NewUser, QueueCaps,
    QueueScope, User, UserChange,
};
pub use webhooks::{AttemptResult, Delivery, DeliveryState, NewDelivery};

/// The database of one Code Remote deployment. Cloning is cheap (pools are shared).
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// Runs the same statement text on whichever pool backs `$store`: `$body` is compiled once
/// per backend, with `$pool` bound to that backend's pool. `read $pool` picks the pool for
/// statements that only read (on SQLite, the read-only connections beside the one writer).
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite(store) => {
                let $pool = &store.pool;
                $body
            }
            $crate::Store::Postgres(store) => {
                let $pool = &store.pool;
                $body
            }
        }
    };
    ($store:expr, read $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite(store) => {
                let $pool = &store.reader;
                $body
            }
            $crate::Store::Postgres(store) => {
                let $pool = &store.pool;
                $body
            }
        }
    };
}
pub(crate) use on_pool;

/// The current time, truncated to microseconds: PostgreSQL keeps no more, and both backends
/// must hand back exactly what they were given (pagination cursors compare timestamps).
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}

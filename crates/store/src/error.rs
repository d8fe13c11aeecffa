//! The store's error type. Unique-constraint violations become [`Error::Conflict`] so callers
//! can answer 409 instead of 500.

use code_remote_core::JobStatus;

use crate::QueueScope;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database URL names no backend this store supports, or does not parse.
    #[error("unsupported database url (expected sqlite:… or postgres://…): {reason}")]
    BadUrl { reason: String },
    /// A record with the same unique key exists already (`what` names the key).
    #[error("{what} already exists")]
    Conflict { what: &'static str },
    /// The invitation code is unknown, used already or expired.
    #[error("the invitation is not valid (unknown, used or expired)")]
    InvitationNotValid,
    /// Enqueueing would exceed a configured queue cap.
    #[error("the queue is full ({scope} limit of queued jobs reached)")]
    QueueFull { scope: QueueScope },
    /// The user's CPU time used today plus what their open jobs may still use reached the
    /// quota, so the job was not enqueued.
    #[error(
        "the daily CPU quota of {limit_ms} ms is used up ({used_ms} ms used, {reserved_ms} ms reserved by open jobs)"
    )]
    CpuQuotaExceeded {
        limit_ms: u64,
        used_ms: u64,
        reserved_ms: u64,
    },
    /// A pagination cursor that this store did not produce.
    #[error("malformed pagination cursor")]
    BadCursor,
    /// `complete` was given a status that does not end a job.
    #[error("cannot complete a job with status {0}: it is not terminal")]
    NotTerminal(JobStatus),
    /// A stored row holds a value this version cannot read.
    #[error("stored {table} row is unreadable: {detail}")]
    Corrupt { table: &'static str, detail: String },
    /// A value could not be encoded as JSON for storage.
    #[error("could not encode {what} as JSON: {source}")]
    Encode {
        what: &'static str,
        source: serde_json::Error,
    },
    /// The database's disk is full (SQLite `SQLITE_FULL`, PostgreSQL `disk_full`); nothing was
    /// written, and writes work again once space returns.
    #[error("the database's storage is full: {0}")]
    StorageFull(#[source] sqlx::Error),
    /// The database cannot be reached right now (connection refused or reset, pool exhausted).
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl Error {
    /// A failure that may pass by itself: the database unreachable for a moment (a reset
    /// connection, an exhausted pool), or a transaction that lost a race (PostgreSQL's
    /// `serialization_failure` 40001 and `deadlock_detected` 40P01). Retrying the same write is
    /// the answer; nothing was wrong with it.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unavailable(_) => true,
            Self::Database(sqlx::Error::Database(db)) => db
                .code()
                .is_some_and(|code| code == "40001" || code == "40P01"),
            _ => false,
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        if is_unique_violation(&error) {
            return Self::Conflict { what: "record" };
        }
        classify(error)
    }
}

/// Storage-full and unreachable-database failures get their own variants, so callers can
/// answer 503 and retry instead of failing for good.
fn classify(error: sqlx::Error) -> Error {
    let full = match &error {
        // SQLite's primary result code 13 (SQLITE_FULL; extended codes keep it in the low byte);
        // PostgreSQL's SQLSTATE 53100 (disk_full).
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code == "53100" || code.parse::<i32>().is_ok_and(|code| code & 0xff == 13)
        }),
        _ => false,
    };
    if full {
        return Error::StorageFull(error);
    }
    let unreachable = match &error {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        // PostgreSQL: connection exceptions (08xxx) and an administrator's termination (57P01).
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code == "57P01"),
        _ => false,
    };
    if unreachable {
        Error::Unavailable(error)
    } else {
        Error::Database(error)
    }
}

pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Maps a unique violation to a conflict on `what`, for `map_err` at the call site.
pub(crate) fn conflict_on(what: &'static str) -> impl Fn(sqlx::Error) -> Error {
    move |error| {
        if is_unique_violation(&error) {
            Error::Conflict { what }
        } else {
            classify(error)
        }
    }
}

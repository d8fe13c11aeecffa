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
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        if is_unique_violation(&error) {
            return Self::Conflict { what: "record" };
        }
        Self::Database(error)
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
            Error::Database(error)
        }
    }
}

//! Bounded retries of the writes a job's progress must not lose to a passing database failure
//! (a reset connection, an exhausted pool, a serialization failure): numbering and storing
//! events, and finishing a job. Such a failure must not end a job as `internal_error`.
//!
//! A failed COMMIT is ambiguous: the database may have committed and only the reply was lost.
//! So every retried write first checks whether its previous attempt is stored already, and a
//! retry never stores anything twice. This module only paces the attempts; the checks live
//! next to the writes.

use std::time::Duration;

use crate::{Error, Result};

/// Attempts of one write, the first included.
const ATTEMPTS: u32 = 6;
/// Wait before the first retry; it doubles up to [`MAX_BACKOFF`] (about 1.5 s in all).
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_millis(800);

/// The attempts of one write so far.
pub(crate) struct Retry {
    what: &'static str,
    failures: u32,
    backoff: Duration,
}

impl Retry {
    pub(crate) fn new(what: &'static str) -> Self {
        Self {
            what,
            failures: 0,
            backoff: FIRST_BACKOFF,
        }
    }

    /// Whether an attempt failed before this one (so it may have committed after all).
    pub(crate) fn is_retry(&self) -> bool {
        self.failures > 0
    }

    /// After a failed attempt: waits and returns `Ok` when another attempt should follow, or
    /// hands the error back when it is not transient or the attempts are used up.
    pub(crate) async fn after(&mut self, error: Error) -> Result<()> {
        self.failures += 1;
        if !error.is_transient() || self.failures >= ATTEMPTS {
            return Err(error);
        }
        tracing::warn!(
            %error,
            attempt = self.failures,
            retry_in_ms = self.backoff.as_millis() as u64,
            "{} failed; retrying",
            self.what
        );
        tokio::time::sleep(self.backoff).await;
        self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
        Ok(())
    }
}

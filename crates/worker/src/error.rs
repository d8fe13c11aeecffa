//! Errors of the worker: the platform failing, never a user's program failing.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("store: {0}")]
    Store(#[from] code_remote_store::Error),
    #[error("sandbox: {0}")]
    Sandbox(#[from] code_remote_sandbox::Error),
    #[error("could not encode a measurement as JSON: {0}")]
    Encode(#[source] serde_json::Error),
    #[error("the sandbox thread stopped unexpectedly: {0}")]
    Join(#[from] tokio::task::JoinError),
}

impl Error {
    /// The database failed for a moment, after the store's own retries: the job is not at
    /// fault, so it is left to its lease, which expires and puts it back in the queue.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Store(error) if error.is_transient())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

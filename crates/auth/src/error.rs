//! Errors of the auth crate.

/// What went wrong while hashing, signing or verifying.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("password hashing failed: {0}")]
    Hashing(argon2::password_hash::Error),
    #[error("the token is invalid: {0}")]
    InvalidToken(#[from] jsonwebtoken::errors::Error),
    #[error("could not read or write the signing key at {path}: {source}")]
    KeyFile {
        path: String,
        source: std::io::Error,
    },
    #[error("the signing key at {path} is too short ({len} bytes, need at least {min})")]
    KeyTooShort {
        path: String,
        len: usize,
        min: usize,
    },
    #[error("{0}")]
    Rule(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

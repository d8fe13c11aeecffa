//! The analyzer's errors.

/// Why an analysis could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The code is not valid Python.
    #[error("syntax error at line {line}, column {column}: {message}")]
    Syntax {
        line: u32,
        column: u32,
        message: String,
    },
    /// The code is longer than the analyzer accepts.
    #[error("the code is larger than the {limit}-byte limit for analysis")]
    TooLarge { limit: usize },
    /// The code nests deeper than the analyzer follows.
    #[error("the code nests deeper than {limit} levels; the analyzer does not follow it")]
    TooDeep { limit: usize },
    /// The analysis ran out of its time or step budget.
    #[error("the analysis exceeded its budget of {steps} steps or {millis} ms")]
    Budget { steps: u64, millis: u64 },
    /// The analysis thread could not be started.
    #[error("could not start the analysis thread: {0}")]
    Thread(#[source] std::io::Error),
    /// The analysis stopped on an internal fault instead of answering (a bug; reported as such).
    #[error("the analyzer failed on this input")]
    Aborted,
    /// The configured model base URL is not an http(s) URL.
    #[error("the model base URL {url:?} must start with http:// or https://")]
    InvalidBaseUrl { url: String },
    /// The provider needs an API key and none was configured.
    #[error("the {provider} provider needs an API key")]
    MissingApiKey { provider: &'static str },
    /// The HTTP client for model calls could not be built.
    #[error("could not build the HTTP client for model calls: {0}")]
    HttpClient(#[source] reqwest::Error),
}

pub type Result<T> = std::result::Result<T, Error>;

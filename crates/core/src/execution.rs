//! The execution object of the HTTP API, and the pieces the worker fills it from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    ArtifactInfo, Compare, JobId, JobStatus, Limits, TestCase, TestResult, TestSuite, UserId,
    Verdict,
};

/// What to run: the program, its stdin given up front, and the limits it runs under.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobSpec {
    pub code: String,
    pub stdin: String,
    pub limits: Limits,
    /// Keep the program's stdin open after `stdin` for lines sent while it runs (the WebSocket
    /// `stdin` message) until `close_stdin`; otherwise stdin ends after `stdin`. Store it with the
    /// job (a boolean column, default false).
    #[serde(default)]
    pub interactive: bool,
    /// Run the program once per test case instead of once with `stdin` (see [`crate::judging`]).
    #[serde(default)]
    pub tests: Option<TestSuite>,
}

/// How a finished run ended, as the sandbox supervisor measured it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub message: Option<String>,
    pub stdout: String,
    pub stderr: String,
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
    pub wall_time_ms: u64,
    pub cpu_time_ms: u64,
    pub peak_memory_kib: u64,
}

/// One execution as the API shows it. Result fields are empty until the job finishes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Execution {
    pub id: JobId,
    pub user_id: UserId,
    pub status: JobStatus,
    pub code: String,
    pub stdin: String,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    /// In words, what happened when it was not plain success.
    pub message: Option<String>,
    pub stdout: String,
    pub stderr: String,
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
    pub wall_time_ms: Option<u64>,
    pub cpu_time_ms: Option<u64>,
    pub peak_memory_kib: Option<u64>,
    pub limits: Limits,
    /// Whether stdin stays open for input sent while the program runs (see `JobSpec`).
    pub interactive: bool,
    /// How many times a worker has claimed this job.
    pub attempts: u32,
    /// The test cases the program runs against (empty: an ordinary run).
    #[serde(default)]
    pub test_cases: Vec<TestCase>,
    /// How the tests' output is compared; `null` without tests.
    #[serde(default)]
    pub compare: Option<Compare>,
    /// One result per test case that has run, in order.
    #[serde(default)]
    pub tests: Vec<TestResult>,
    /// `accepted` when every test was, else the first other verdict; `null` without tests or
    /// before they have run.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// Where the result is sent (signed) when the run ends.
    #[serde(default)]
    pub callback_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Files the program left in `/box/out/` and figures it left open, in name order
    /// (`GET /executions/{id}/artifacts/{name}` serves each).
    #[serde(default)]
    pub artifacts: Vec<ArtifactInfo>,
    /// Why files were not handed back (over a limit, a link, a FIFO, …), at most a few.
    #[serde(default)]
    pub artifacts_skipped: Vec<String>,
}

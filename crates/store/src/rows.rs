//! Rows as both backends return them, and their conversion into the public records.
//!
//! Integers are `i64` (PostgreSQL has no unsigned types); enums and JSON are text.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use code_remote_core::{
    Execution, JobId, JobSpec, JobStatus, TestResult, TestSuite, UserId, Verdict,
};
use uuid::Uuid;

use crate::{ApiKey, AuditEntry, Callback, Claimed, Error, JobKind, Result, User};

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: Uuid,
    username: String,
    email: Option<String>,
    password_hash: Option<String>,
    role: String,
    disabled: bool,
    oidc_issuer: Option<String>,
    oidc_subject: Option<String>,
    token_version: i64,
    created_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = Error;
    fn try_from(row: UserRow) -> Result<User> {
        Ok(User {
            id: UserId(row.id),
            role: row.role.parse().map_err(|error| corrupt("users", error))?,
            username: row.username,
            email: row.email,
            disabled: row.disabled,
            created_at: row.created_at,
            password_hash: row.password_hash,
            oidc_issuer: row.oidc_issuer,
            oidc_subject: row.oidc_subject,
            token_version: row.token_version,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ApiKeyRow {
    id: Uuid,
    user_id: Uuid,
    name: String,
    prefix: String,
    hash: String,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
}

impl From<ApiKeyRow> for ApiKey {
    fn from(row: ApiKeyRow) -> ApiKey {
        ApiKey {
            id: row.id,
            user_id: UserId(row.user_id),
            name: row.name,
            prefix: row.prefix,
            hash: row.hash,
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
            last_used_at: row.last_used_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor: Option<Uuid>,
    action: String,
    target: Option<String>,
    ip: Option<String>,
    detail: String,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = Error;
    fn try_from(row: AuditRow) -> Result<AuditEntry> {
        Ok(AuditEntry {
            id: row.id,
            at: row.at,
            actor: row.actor.map(UserId),
            action: row.action,
            target: row.target,
            ip: row.ip,
            detail: serde_json::from_str(&row.detail)
                .map_err(|error| corrupt("audit_log", error))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct JobRow {
    id: Uuid,
    user_id: Uuid,
    kind: String,
    status: String,
    code: String,
    stdin: String,
    limits: String,
    exit_code: Option<i64>,
    signal: Option<i64>,
    message: Option<String>,
    stdout: String,
    stderr: String,
    stdout_truncated: bool,
    stderr_truncated: bool,
    wall_time_ms: Option<i64>,
    cpu_time_ms: Option<i64>,
    peak_memory_kib: Option<i64>,
    interactive: bool,
    attempts: i64,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    tests: Option<String>,
    result: Option<String>,
    callback: Option<String>,
    /// JSON lists (migration 0005): see `artifacts.rs`.
    artifacts: String,
    artifacts_skipped: String,
}

impl TryFrom<JobRow> for Execution {
    type Error = Error;
    fn try_from(row: JobRow) -> Result<Execution> {
        let bad = |error: String| corrupt("jobs", error);
        let limits = serde_json::from_str(&row.limits).map_err(|e| bad(e.to_string()))?;
        let suite: Option<TestSuite> = row
            .tests
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| bad(e.to_string()))?;
        let status = row
            .status
            .parse::<JobStatus>()
            .map_err(|e| bad(e.to_string()))?;
        // An execution's result is its test results; a measurement's is not shown here.
        let tests: Vec<TestResult> = match (&suite, &row.result) {
            (Some(_), Some(result)) if row.kind == JobKind::Execution.as_str() => {
                serde_json::from_str(result).map_err(|e| bad(e.to_string()))?
            }
            _ => Vec::new(),
        };
        let verdict = match status {
            _ if suite.is_none() || !status.is_terminal() => None,
            JobStatus::Cancelled => None,
            JobStatus::InternalError => Some(Verdict::InternalError),
            _ => Verdict::summary(&tests),
        };
        let callback: Option<Callback> = row
            .callback
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| bad(e.to_string()))?;
        let small = |value: Option<i64>| {
            value
                .map(|v| i32::try_from(v).map_err(|e| bad(e.to_string())))
                .transpose()
        };
        let unsigned = |value: Option<i64>| {
            value
                .map(|v| u64::try_from(v).map_err(|e| bad(e.to_string())))
                .transpose()
        };
        Ok(Execution {
            id: JobId(row.id),
            user_id: UserId(row.user_id),
            status,
            code: row.code,
            stdin: row.stdin,
            exit_code: small(row.exit_code)?,
            signal: small(row.signal)?,
            message: row.message,
            stdout: row.stdout,
            stderr: row.stderr,
            stdout_truncated: row.stdout_truncated,
            stderr_truncated: row.stderr_truncated,
            wall_time_ms: unsigned(row.wall_time_ms)?,
            cpu_time_ms: unsigned(row.cpu_time_ms)?,
            peak_memory_kib: unsigned(row.peak_memory_kib)?,
            limits,
            interactive: row.interactive,
            attempts: u32::try_from(row.attempts).map_err(|e| bad(e.to_string()))?,
            compare: suite.as_ref().map(|suite| suite.compare),
            test_cases: suite.map(|suite| suite.cases).unwrap_or_default(),
            tests,
            verdict,
            callback_url: callback.map(|callback| callback.url),
            created_at: row.created_at,
            started_at: row.started_at,
            finished_at: row.finished_at,
            artifacts: serde_json::from_str(&row.artifacts).map_err(|e| bad(e.to_string()))?,
            artifacts_skipped: serde_json::from_str(&row.artifacts_skipped)
                .map_err(|e| bad(e.to_string()))?,
        })
    }
}

/// A claimed row as the worker sees it: the job, what it is and what to run.
pub(crate) fn claimed(row: JobRow) -> Result<Claimed> {
    let kind: JobKind = row.kind.parse().map_err(|e| corrupt("jobs", e))?;
    let execution = Execution::try_from(row)?;
    Ok(Claimed {
        kind,
        spec: spec_of(&execution),
        attempt: execution.attempts,
        execution,
    })
}

/// CPU milliseconds a job may use at most: wall time times CPU cores (the cgroup's CPU quota),
/// once per run (one per test case, when it has tests), reserved against the daily quota while
/// the job is open.
pub(crate) fn cpu_reservation_ms(spec: &JobSpec) -> i64 {
    let limits = &spec.limits;
    let runs = spec
        .tests
        .as_ref()
        .map_or(1, |suite| suite.cases.len().max(1));
    let millis = (limits.time_limit_ms as f64 * limits.cpu_cores.max(0.0)).ceil() * runs as f64;
    // `as` saturates for floats: an absurd limit reserves i64::MAX, never wraps.
    millis as i64
}

/// The spec a worker needs to run an execution.
fn spec_of(execution: &Execution) -> JobSpec {
    JobSpec {
        code: execution.code.clone(),
        stdin: execution.stdin.clone(),
        limits: execution.limits.clone(),
        interactive: execution.interactive,
        tests: execution.compare.map(|compare| TestSuite {
            compare,
            cases: execution.test_cases.clone(),
        }),
    }
}

pub(crate) fn executions(rows: Vec<JobRow>) -> Result<Vec<Execution>> {
    rows.into_iter().map(Execution::try_from).collect()
}

/// PostgreSQL text cannot hold NUL characters (SQLite can); both backends store them as
/// U+FFFD, so a program that prints `\0` still finishes and reads back the same everywhere.
pub(crate) fn nul_free(text: &str) -> Cow<'_, str> {
    if text.contains('\0') {
        Cow::Owned(text.replace('\0', "\u{FFFD}"))
    } else {
        Cow::Borrowed(text)
    }
}

pub(crate) fn nul_free_opt(text: &Option<String>) -> Option<Cow<'_, str>> {
    text.as_deref().map(nul_free)
}

pub(crate) fn corrupt(table: &'static str, error: impl ToString) -> Error {
    Error::Corrupt {
        table,
        detail: error.to_string(),
    }
}

/// Converts a count or size for a bind: PostgreSQL has no unsigned integers.
pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

pub(crate) fn to_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

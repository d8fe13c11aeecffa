//! The records the store reads and writes, and the options of queue operations.

use std::{fmt, time::Duration};

use chrono::{DateTime, Utc};
use code_remote_core::{Execution, ExecutionListItem, JobSpec, Role, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An account to create. Either a password hash or an OIDC identity (or both) lets it sign in.
#[derive(Clone)]
pub struct NewUser {
    pub username: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub role: Role,
    /// `(issuer, subject)` of an OpenID Connect identity.
    pub oidc: Option<(String, String)>,
}

#[derive(Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub password_hash: Option<String>,
    pub oidc_issuer: Option<String>,
    pub oidc_subject: Option<String>,
    /// Bumped to invalidate every token issued before; tokens carry the version they saw.
    pub token_version: i64,
}

// Load-bearing: Debug must never print password hashes (they end up in logs).
impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("disabled", &self.disabled)
            .field("has_password", &self.password_hash.is_some())
            .field("oidc_issuer", &self.oidc_issuer)
            .field("token_version", &self.token_version)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("has_password", &self.password_hash.is_some())
            .field("oidc", &self.oidc)
            .finish_non_exhaustive()
    }
}

/// Changes to an account; `None` fields stay as they are.
#[derive(Clone, Default)]
pub struct UserChange {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub password_hash: Option<String>,
    /// Invalidate every token issued so far.
    pub bump_token_version: bool,
}

/// An API key to store. Only its hash is kept; `prefix` finds it again.
#[derive(Clone, Debug)]
pub struct NewApiKey {
    pub user_id: UserId,
    pub name: String,
    pub prefix: String,
    pub hash: String,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiKey {
    pub id: Uuid,
    pub user_id: UserId,
    pub name: String,
    pub prefix: String,
    pub hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A security event to record.
#[derive(Clone, Debug)]
pub struct NewAuditEntry {
    pub actor: Option<UserId>,
    pub action: String,
    pub target: Option<String>,
    pub ip: Option<String>,
    pub detail: serde_json::Value,
}

/// One line of the audit log: who did what to whom, from where.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Increases with every entry; pass it as `before` to page back in time.
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<UserId>,
    pub action: String,
    pub target: Option<String>,
    pub ip: Option<String>,
    pub detail: serde_json::Value,
}

/// Caps on queued jobs, checked atomically with the insert.
#[derive(Clone, Copy, Debug)]
pub struct QueueCaps {
    pub max_queued_total: u64,
    pub max_queued_per_user: u64,
}

/// What a job does. Both kinds share the queue, its caps, per-user order, leases and the daily
/// CPU quota; only what a worker runs differs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// The user's program, run as it is (an execution of the API).
    #[default]
    Execution,
    /// The analyzer's timing harness around the user's code (an empirical analysis); the
    /// measured points and fit are the job's result, see [`crate::Store::job_result`].
    Measurement,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Execution => "execution",
            Self::Measurement => "measurement",
        }
    }
}

impl std::str::FromStr for JobKind {
    type Err = code_remote_core::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Execution, Self::Measurement]
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| code_remote_core::UnknownValue(s.to_owned()))
    }
}

/// A user's CPU allowance, checked atomically with an enqueue: CPU time used by jobs that
/// finished since `since`, plus the reservation of every open job of the user (time limit
/// times CPU cores), must be below `limit_ms` for one more job to be accepted. So concurrent
/// submissions cannot overrun it by more than one job's limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuQuota {
    pub limit_ms: u64,
    pub since: DateTime<Utc>,
}

impl CpuQuota {
    /// `seconds` of CPU per UTC day, counted from today's midnight.
    pub fn daily(seconds: u64) -> Self {
        let since = Utc::now()
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc();
        Self {
            limit_ms: seconds.saturating_mul(1000),
            since,
        }
    }

    /// When this quota's day ends.
    pub fn resets_at(&self) -> DateTime<Utc> {
        self.since + chrono::Days::new(1)
    }
}

/// A job to enqueue.
#[derive(Clone, Copy, Debug)]
pub struct NewJob<'a> {
    pub user: UserId,
    pub kind: JobKind,
    pub spec: &'a JobSpec,
    /// Refuse the job when the user's CPU use and reservations reach this quota.
    pub cpu_quota: Option<CpuQuota>,
    /// Where to send the result when the job ends.
    pub callback: Option<&'a Callback>,
}

/// Where a job's result is sent when it ends, and in which shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callback {
    pub url: String,
    /// Set for a Judge0 submission: the body is Judge0's (sent with PUT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge0: Option<Judge0Callback>,
}

/// What a Judge0 callback needs besides the execution: the digest of the expected output
/// (part of the submission's token), if one was given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judge0Callback {
    pub expected_digest: Option<String>,
}

/// Which queue cap was hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueScope {
    Global,
    User,
}

impl fmt::Display for QueueScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Global => "server-wide",
            Self::User => "per-user",
        })
    }
}

/// Which jobs to list. `user: None` lists everyone's (for admins).
#[derive(Clone, Debug, Default)]
pub struct JobQuery {
    pub user: Option<UserId>,
    pub limit: u32,
    pub cursor: Option<String>,
}

/// One page of the history, newest first. `next_cursor` is `None` on the last page.
#[derive(Clone, Debug)]
pub struct JobPage {
    pub items: Vec<ExecutionListItem>,
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ClaimOptions {
    /// Unique per worker; only the lease owner may heartbeat, complete or release.
    pub worker_id: String,
    /// How long the claim holds without a heartbeat.
    pub lease: Duration,
    /// A user's jobs beyond this many running wait (0 means no limit).
    pub max_running_per_user: u32,
}

/// A job a worker now holds the lease of.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub kind: JobKind,
    pub execution: Execution,
    pub spec: JobSpec,
    /// 1 for the first claim of this job, 2 after one lost lease, …
    pub attempt: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lease {
    /// The lease was extended; `cancel_requested` says whether someone asked to cancel.
    Held { cancel_requested: bool },
    /// The job is no longer running under this worker: stop and do not complete it.
    Lost,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CancelResult {
    /// The job was still queued and is now cancelled.
    Cancelled(Execution),
    /// The job is running; its worker will see the request and stop it.
    Requested,
    AlreadyFinished(Execution),
    NotFound,
}

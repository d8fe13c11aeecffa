//! Events a job emits while it runs. They travel from the worker to WebSocket subscribers,
//! in order, each carrying the job's sequence number.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ArtifactInfo, Execution, JobId, JobStatus, Limits, TestResult, UserId, Verdict};

/// Which output stream a chunk came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stdout => "stdout",
            Self::Stderr => "stderr",
        }
    }
}

/// One event of one job, as the WebSocket sends it. `seq` starts at 1 for each job and has no
/// gaps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum JobEvent {
    Status {
        job_id: JobId,
        #[schema(minimum = 1)]
        seq: u64,
        status: JobStatus,
    },
    Output {
        job_id: JobId,
        #[schema(minimum = 1)]
        seq: u64,
        stream: Stream,
        data: String,
    },
    /// One test case has run (executions with tests); `index` is its place, from 0.
    Test {
        job_id: JobId,
        #[schema(minimum = 1)]
        seq: u64,
        index: u32,
        result: Box<TestResult>,
    },
    /// A file the program handed back, as soon as it is stored (before `finished`).
    Artifact {
        job_id: JobId,
        #[schema(minimum = 1)]
        seq: u64,
        artifact: ArtifactInfo,
    },
    /// The last event of a job. Light: the code, stdin, stdout and stderr are left out (a
    /// subscriber has the stream; `GET /executions/{id}` has the whole execution).
    Finished {
        job_id: JobId,
        #[schema(minimum = 1)]
        seq: u64,
        execution: Box<ExecutionSummary>,
    },
}

impl JobEvent {
    pub fn job_id(&self) -> JobId {
        match self {
            Self::Status { job_id, .. }
            | Self::Output { job_id, .. }
            | Self::Test { job_id, .. }
            | Self::Artifact { job_id, .. }
            | Self::Finished { job_id, .. } => *job_id,
        }
    }

    pub fn seq(&self) -> u64 {
        match self {
            Self::Status { seq, .. }
            | Self::Output { seq, .. }
            | Self::Test { seq, .. }
            | Self::Artifact { seq, .. }
            | Self::Finished { seq, .. } => *seq,
        }
    }

    /// The same event at another place in the job's sequence (the store numbers events).
    pub fn with_seq(mut self, new: u64) -> Self {
        match &mut self {
            Self::Status { seq, .. }
            | Self::Output { seq, .. }
            | Self::Test { seq, .. }
            | Self::Artifact { seq, .. }
            | Self::Finished { seq, .. } => *seq = new,
        }
        self
    }

    pub fn is_final(&self) -> bool {
        matches!(self, Self::Finished { .. })
    }
}

/// A finished execution without its code, stdin, stdout and stderr: what the `finished` event
/// carries. Unknown fields are ignored when reading, so events stored with a whole execution
/// (before December 2026) still read as summaries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExecutionSummary {
    pub id: JobId,
    pub user_id: UserId,
    pub status: JobStatus,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub message: Option<String>,
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
    pub wall_time_ms: Option<u64>,
    pub cpu_time_ms: Option<u64>,
    pub peak_memory_kib: Option<u64>,
    pub limits: Limits,
    pub interactive: bool,
    pub attempts: u32,
    /// The summed-up verdict of the tests (`null` without tests).
    #[serde(default)]
    pub verdict: Option<Verdict>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub artifacts: Vec<ArtifactInfo>,
    #[serde(default)]
    pub artifacts_skipped: Vec<String>,
}

impl From<&Execution> for ExecutionSummary {
    fn from(execution: &Execution) -> Self {
        Self {
            id: execution.id,
            user_id: execution.user_id,
            status: execution.status,
            exit_code: execution.exit_code,
            signal: execution.signal,
            message: execution.message.clone(),
            stdout_truncated: execution.stdout_truncated,
            stderr_truncated: execution.stderr_truncated,
            wall_time_ms: execution.wall_time_ms,
            cpu_time_ms: execution.cpu_time_ms,
            peak_memory_kib: execution.peak_memory_kib,
            limits: execution.limits.clone(),
            interactive: execution.interactive,
            attempts: execution.attempts,
            verdict: execution.verdict,
            created_at: execution.created_at,
            started_at: execution.started_at,
            finished_at: execution.finished_at,
            artifacts: execution.artifacts.clone(),
            artifacts_skipped: execution.artifacts_skipped.clone(),
        }
    }
}

impl JobEvent {
    /// The final event of `execution`, at `seq`.
    pub fn finished(execution: &Execution, seq: u64) -> Self {
        Self::Finished {
            job_id: execution.id,
            seq,
            execution: Box::new(execution.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_finished_event_leaves_out_code_stdin_and_output() {
        let execution = Execution {
            id: JobId::new(),
            user_id: UserId::new(),
            status: JobStatus::Succeeded,
            code: "print('secret code')".into(),
            stdin: "secret input".into(),
            exit_code: Some(0),
            signal: None,
            message: None,
            stdout: "secret output".into(),
            stderr: "secret error".into(),
            stdout_truncated: false,
            stderr_truncated: false,
            wall_time_ms: Some(1),
            cpu_time_ms: Some(1),
            peak_memory_kib: Some(1),
            limits: Limits::default(),
            interactive: false,
            attempts: 1,
            test_cases: Vec::new(),
            compare: None,
            tests: Vec::new(),
            verdict: None,
            callback_url: None,
            created_at: Utc::now(),
            started_at: None,
            finished_at: None,
            artifacts: Vec::new(),
            artifacts_skipped: Vec::new(),
        };
        let json = serde_json::to_value(JobEvent::finished(&execution, 3)).unwrap();
        let summary = json["execution"].as_object().unwrap();
        for field in ["code", "stdin", "stdout", "stderr"] {
            assert!(!summary.contains_key(field), "{field} is left out: {json}");
        }
        assert_eq!(json["execution"]["status"], "succeeded");
        // A body stored with the whole execution still reads.
        let old = serde_json::json!({"type": "finished", "job_id": execution.id, "seq": 3,
            "execution": serde_json::to_value(&execution).unwrap()});
        assert!(serde_json::from_value::<JobEvent>(old).unwrap().is_final());
    }
}

//! Events a job emits while it runs. They travel from the worker to WebSocket subscribers,
//! in order, each carrying the job's sequence number.

use serde::{Deserialize, Serialize};

use crate::{Execution, JobId, JobStatus};

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

/// One event of one job. `seq` starts at 1 for each job and has no gaps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum JobEvent {
    Status {
        job_id: JobId,
        seq: u64,
        status: JobStatus,
    },
    Output {
        job_id: JobId,
        seq: u64,
        stream: Stream,
        data: String,
    },
    Finished {
        job_id: JobId,
        seq: u64,
        execution: Box<Execution>,
    },
}

impl JobEvent {
    pub fn job_id(&self) -> JobId {
        match self {
            Self::Status { job_id, .. }
            | Self::Output { job_id, .. }
            | Self::Finished { job_id, .. } => *job_id,
        }
    }

    pub fn seq(&self) -> u64 {
        match self {
            Self::Status { seq, .. } | Self::Output { seq, .. } | Self::Finished { seq, .. } => {
                *seq
            }
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(self, Self::Finished { .. })
    }
}

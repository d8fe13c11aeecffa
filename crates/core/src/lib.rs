//! Plain domain types shared by every Code Remote crate: ids, job specs, limits, statuses,
//! the execution object of the HTTP API and the events a job emits.
//!
//! This crate does no I/O and knows nothing of databases, sandboxes or HTTP.

mod artifact;
mod event;
mod execution;
mod ids;
pub mod judging;
mod limits;
mod listing;
mod status;

pub use artifact::{
    ArtifactInfo, MAX_ARTIFACT_NAME_BYTES, is_artifact_name, is_inline_image, media_type_for,
};
pub use event::{ExecutionSummary, JobEvent, Stream};
pub use execution::{Execution, JobSpec, Outcome};
pub use ids::{JobId, UserId};
pub use judging::{Compare, TestCase, TestResult, TestSuite, TestsError, Verdict};
pub use limits::{LimitError, Limits, LimitsRequest, MAX_CODE_BYTES, MAX_STDIN_BYTES};
pub use listing::{CODE_PREVIEW_CHARS, ExecutionListItem, code_preview};
pub use status::{JobStatus, Role, UnknownValue};

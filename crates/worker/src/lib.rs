//! Workers: claim a job from the store's queue, run it in a fresh sandbox on a blocking thread,
//! stream its output as events while it runs, store the result and publish the final event.
//!
//! A worker is a loop around one step, [`Worker::run_one`], which tests call directly. The pool
//! adds the loop, the wake-ups, the lease reaper and the control channel (stdin, cancel) that
//! reaches a job wherever it runs. Jobs are executions (the user's program) or measurements
//! (the analyzer's timing harness around it, for an empirical analysis). Nothing here speaks
//! HTTP.

mod artifacts;
mod config;
mod controls;
mod error;
mod judge;
mod measure;
mod output;
mod pool;
mod step;
mod verdict;

pub use artifacts::describe as describe_artifact;
pub use config::WorkerConfig;
pub use error::{Error, Result};
pub use pool::Pool;
pub use step::Worker;
pub use verdict::sandbox_limits;

//! How workers claim and hold jobs.

use std::time::Duration;

/// Settings shared by every worker of a pool.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Names this process in leases, e.g. the host name; each worker appends its index.
    pub node_id: String,
    /// How long a claim holds a job without a heartbeat.
    pub lease: Duration,
    /// How often a running job's lease is renewed (and a cancel request looked for).
    pub heartbeat: Duration,
    /// Claims of one job before a vanished worker's job is failed instead of retried.
    pub max_attempts: u32,
    /// Jobs of one user that may run at once (1 = strict per-user FIFO).
    pub max_running_per_user: u32,
    /// CPU-seconds one user's jobs may use per UTC day (`None`: no quota). A job claimed after
    /// its owner used up the day's quota is not run: it ends `failed` with a message saying so.
    pub cpu_seconds_per_user_per_day: Option<u64>,
    /// How long an idle worker waits before looking at the queue again without a wake-up.
    pub idle_poll: Duration,
    /// How often the lease reaper looks for jobs whose worker vanished.
    pub reap_interval: Duration,
    /// Grace period for running jobs at shutdown; jobs still running after it are released.
    pub shutdown_grace: Duration,
    /// How long the events of a finished job are kept for late subscribers; afterwards its
    /// stored execution still answers them.
    pub event_retention: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            node_id: "local".into(),
            lease: Duration::from_secs(15),
            heartbeat: Duration::from_secs(3),
            max_attempts: 3,
            max_running_per_user: 1,
            cpu_seconds_per_user_per_day: None,
            idle_poll: Duration::from_secs(2),
            reap_interval: Duration::from_secs(5),
            shutdown_grace: Duration::from_secs(30),
            event_retention: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

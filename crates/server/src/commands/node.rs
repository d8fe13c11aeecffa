//! Options and start-up shared by `serve` and `worker`: database, logging, worker pool.

use std::{path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context;
use code_remote_core::Limits;
use code_remote_sandbox::Sandbox;
use code_remote_store::Store;
use code_remote_worker::{Pool, WorkerConfig};

use crate::{
    config::{DatabaseUrl, LogFormat, ensure_data_dir, init_logging, redact},
    telemetry::Telemetry,
};

/// Logging options.
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// Log format: `pretty` for people, `json` for log collectors.
    #[arg(
        long,
        env = "CODE_REMOTE_LOG_FORMAT",
        value_enum,
        default_value = "pretty"
    )]
    pub log_format: LogFormat,
    /// Which logs to show, in `RUST_LOG` syntax (e.g. `info`, `code_remote_worker=debug`).
    #[arg(long, env = "CODE_REMOTE_LOG", default_value = "info")]
    pub log: String,
    /// Export traces (each request and job as spans) to this OpenTelemetry collector, over
    /// OTLP/HTTP (e.g. `http://collector:4318`); off when not given.
    #[arg(long, env = "CODE_REMOTE_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,
}

impl LogArgs {
    /// Starts logging (and trace export); keep the guard until the node stops.
    pub fn init(&self, role: &'static str) -> anyhow::Result<Telemetry> {
        let telemetry = match &self.otlp_endpoint {
            Some(endpoint) => Telemetry::otlp(endpoint, role)?,
            None => Telemetry::disabled(),
        };
        init_logging(self.log_format, &self.log, &telemetry)?;
        if let Some(endpoint) = &self.otlp_endpoint {
            tracing::info!(endpoint, "exporting traces over OTLP");
        }
        Ok(telemetry)
    }
}

/// Where jobs, users and events are kept.
#[derive(Debug, clap::Args)]
pub struct StoreArgs {
    /// Directory for the SQLite database and generated secrets (created with mode 0700).
    #[arg(long, env = "CODE_REMOTE_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// PostgreSQL URL (`postgres://user:pass@host/db`) to share jobs between machines;
    /// without it, a SQLite file in the data directory is used.
    #[arg(long, env = "CODE_REMOTE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<DatabaseUrl>,
}

impl StoreArgs {
    pub async fn connect(&self) -> anyhow::Result<Store> {
        let url = match &self.database_url {
            Some(url) => url.0.clone(),
            None => {
                ensure_data_dir(&self.data_dir)?;
                format!(
                    "sqlite://{}",
                    self.data_dir.join("code-remote.db").display()
                )
            }
        };
        let store = Store::connect(&url)
            .await
            .with_context(|| format!("cannot open the database {}", redact(&url)))?;
        tracing::info!(backend = store.backend(), "database ready");
        Ok(store)
    }
}

/// How workers claim and hold jobs.
#[derive(Debug, clap::Args)]
pub struct PoolArgs {
    /// Workers (concurrent sandboxes) on this node; default: one per CPU; 0: none.
    #[arg(long, env = "CODE_REMOTE_WORKERS")]
    pub workers: Option<usize>,
    /// Seconds a claimed job is held without a heartbeat before another worker may take it.
    #[arg(long, env = "CODE_REMOTE_LEASE_SECS", default_value_t = 15)]
    pub lease_secs: u64,
    /// Claims of one job before it is failed as `internal_error` (its workers kept vanishing).
    #[arg(long, env = "CODE_REMOTE_MAX_ATTEMPTS", default_value_t = 3)]
    pub max_attempts: u32,
    /// Jobs of one user running at once (1 keeps each user's jobs in strict FIFO order).
    #[arg(long, env = "CODE_REMOTE_MAX_RUNNING_PER_USER", default_value_t = 1)]
    pub max_running_per_user: u32,
    /// CPU-seconds one user's jobs may use per UTC day (unset: no quota). Checked when a job
    /// is submitted and again when a worker claims it.
    #[arg(long, env = "CODE_REMOTE_CPU_SECONDS_PER_USER_PER_DAY")]
    pub cpu_seconds_per_user_per_day: Option<u64>,
    /// Seconds running jobs get to finish at shutdown before they are put back in the queue.
    #[arg(long, env = "CODE_REMOTE_SHUTDOWN_GRACE_SECS", default_value_t = 30)]
    pub shutdown_grace_secs: u64,
}

impl PoolArgs {
    pub fn worker_count(&self) -> usize {
        self.workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
    }

    pub fn config(&self) -> WorkerConfig {
        let lease = Duration::from_secs(self.lease_secs.max(1));
        WorkerConfig {
            node_id: node_id(),
            lease,
            heartbeat: lease / 5,
            max_attempts: self.max_attempts.max(1),
            max_running_per_user: self.max_running_per_user.max(1),
            cpu_seconds_per_user_per_day: self.cpu_seconds_per_user_per_day,
            reap_interval: lease / 3,
            shutdown_grace: Duration::from_secs(self.shutdown_grace_secs),
            ..WorkerConfig::default()
        }
    }
}

/// The largest limits a request may ask for.
#[derive(Debug, clap::Args)]
pub struct LimitArgs {
    /// Largest wall-time limit a run may ask for, in seconds (also the default).
    #[arg(long, env = "CODE_REMOTE_MAX_TIME_LIMIT_SECS", default_value_t = 30)]
    pub max_time_limit_secs: u64,
    /// Largest memory limit a run may ask for, in MiB (also the default).
    #[arg(long, env = "CODE_REMOTE_MAX_MEMORY_LIMIT_MIB", default_value_t = 256)]
    pub max_memory_limit_mib: u64,
    /// Largest output kept per stream, in KiB (also the default).
    #[arg(long, env = "CODE_REMOTE_MAX_OUTPUT_LIMIT_KIB", default_value_t = 1024)]
    pub max_output_limit_kib: u64,
}

impl LimitArgs {
    pub fn max_limits(&self) -> Limits {
        Limits {
            time_limit_ms: self.max_time_limit_secs.saturating_mul(1000),
            memory_limit_mib: self.max_memory_limit_mib,
            output_limit_kib: self.max_output_limit_kib,
            ..Limits::default()
        }
    }
}

/// The sandbox configuration for a node with these workers: at least one slot per worker
/// unless `--sandbox-slots` says otherwise, and one sandbox started ahead per worker unless
/// `--sandbox-warm` says otherwise (so a job's start-up is off the request path).
pub fn sandbox_config(
    sandbox: &super::sandbox_args::SandboxArgs,
    pool: &PoolArgs,
) -> code_remote_sandbox::SandboxConfig {
    let mut config = sandbox.to_config();
    if sandbox.sandbox_slots.is_none() {
        config.slots = config.slots.max(pool.worker_count());
    }
    if sandbox.sandbox_warm.is_none() {
        config.warm = pool.worker_count().min(config.slots);
    }
    config
}

/// Starts the sandbox and the worker pool, unless `workers` is 0.
pub fn start_pool(store: &Store, sandbox: Option<Arc<Sandbox>>, args: &PoolArgs) -> Option<Pool> {
    let sandbox = sandbox?;
    let count = args.worker_count();
    tracing::info!(workers = count, "starting workers");
    Some(Pool::start(store.clone(), sandbox, args.config(), count))
}

/// Names this process in job leases: host name and process id.
fn node_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    let host = if host.is_empty() {
        "node".to_owned()
    } else {
        host
    };
    format!("{host}-{}", std::process::id())
}

/// Resolves when the process is asked to stop (SIGINT or SIGTERM).
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler installs");
    tokio::select! {
        _ = interrupt => {}
        _ = terminate.recv() => {}
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        sandbox: super::super::sandbox_args::SandboxArgs,
        #[command(flatten)]
        pool: PoolArgs,
    }

    #[test]
    fn a_node_keeps_one_sandbox_warm_per_worker_unless_told_otherwise() {
        let cli = Cli::parse_from(["x", "--workers", "3"]);
        let config = sandbox_config(&cli.sandbox, &cli.pool);
        assert_eq!((config.slots, config.warm), (8, 3));
        let cli = Cli::parse_from(["x", "--workers", "3", "--sandbox-warm", "0"]);
        assert_eq!(sandbox_config(&cli.sandbox, &cli.pool).warm, 0);
        let cli = Cli::parse_from(["x", "--workers", "4", "--sandbox-slots", "2"]);
        assert_eq!(sandbox_config(&cli.sandbox, &cli.pool).warm, 2);
    }
}

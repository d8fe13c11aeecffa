//! `code-remote worker`: a worker-only node that takes jobs from a shared PostgreSQL queue.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc};

use anyhow::{Context, bail};
use code_remote_sandbox::Sandbox;

use super::{
    node::{LogArgs, PoolArgs, StoreArgs, shutdown_signal, start_pool},
    sandbox_args::SandboxArgs,
};

#[derive(Debug, clap::Args)]
#[command(args_override_self = true)]
pub struct WorkerArgs {
    /// Address for `/healthz`, `/readyz` and `/metrics` (e.g. 0.0.0.0:9090 in a container;
    /// port 0 picks a free one and logs it). None by default, so several workers can share a
    /// host without choosing ports.
    #[arg(long, env = "CODE_REMOTE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// TOML file with any of these options (keys as the long flags, `_` or `-`).
    #[arg(long, env = "CODE_REMOTE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub pool: PoolArgs,
    #[command(flatten)]
    pub sandbox: SandboxArgs,
    #[command(flatten)]
    pub log: LogArgs,
}

pub fn execute(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    let _telemetry = args.log.init("worker")?;
    if args.store.database_url.is_none() {
        bail!(
            "`code-remote worker` needs --database-url postgres://… (the queue it shares with the API nodes)"
        );
    }
    if args.pool.worker_count() == 0 {
        bail!("--workers must be at least 1 for a worker node");
    }
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(work(args))?;
    Ok(ExitCode::SUCCESS)
}

async fn work(args: WorkerArgs) -> anyhow::Result<()> {
    let store = args.store.connect().await?;
    let config = super::node::sandbox_config(&args.sandbox, &args.pool);
    let sandbox = Arc::new(tokio::task::spawn_blocking(move || Sandbox::new(config)).await??);
    let probes = match args.listen {
        Some(address) => Some(
            tokio::net::TcpListener::bind(address)
                .await
                .with_context(|| format!("cannot listen on {address}"))?,
        ),
        None => None,
    };
    let pool = start_pool(&store, Some(sandbox), &args.pool);
    match probes {
        Some(listener) => {
            let address = listener.local_addr()?;
            tracing::info!("worker probes on http://{address}");
            println!("Code Remote worker is running; probes on http://{address}");
            axum::serve(listener, code_remote_api::probes(store.clone()))
                .with_graceful_shutdown(shutdown_signal())
                .await?;
        }
        None => {
            tracing::info!("worker running; no probe listener (give --listen ADDR for /metrics)");
            println!("Code Remote worker is running (no probe listener; --listen ADDR adds one)");
            shutdown_signal().await;
        }
    }
    if let Some(pool) = pool {
        pool.shutdown().await;
    }
    Ok(())
}

//! The worker pool: N workers looping over `run_one`, woken by new jobs, plus the lease reaper
//! and the control forwarder, with a graceful shutdown.

use std::{sync::Arc, time::Duration};

use code_remote_sandbox::Sandbox;
use code_remote_store::Store;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::{Worker, WorkerConfig, controls::Controls, output::Emitter};

/// A running pool. Dropping it does not stop it; call [`Pool::shutdown`].
pub struct Pool {
    tasks: JoinSet<()>,
    stop: CancellationToken,
    controls: Controls,
    store: Store,
    grace: Duration,
}

impl Pool {
    /// Starts `workers` workers (and the reaper) on the current runtime.
    pub fn start(
        store: Store,
        sandbox: Arc<Sandbox>,
        config: WorkerConfig,
        workers: usize,
    ) -> Self {
        let config = Arc::new(config);
        let stop = CancellationToken::new();
        let controls = Controls::default();
        let mut tasks = JoinSet::new();
        tasks.spawn(controls.clone().forward(store.bus()));
        tasks.spawn(reap(store.clone(), config.clone(), stop.clone()));
        for index in 0..workers {
            let id = format!("{}-{index}", config.node_id);
            let worker = Worker::new(id, store.clone(), sandbox.clone(), config.clone())
                .with_controls(controls.clone());
            tasks.spawn(work(worker, store.clone(), config.clone(), stop.clone()));
        }
        Self {
            tasks,
            stop,
            controls,
            store,
            grace: config.shutdown_grace,
        }
    }

    /// Stops claiming, lets running jobs finish within the grace period, then releases the rest
    /// back to the queue (they run again elsewhere or after a restart).
    pub async fn shutdown(mut self) {
        self.stop.cancel();
        let drained = tokio::time::timeout(self.grace, async {
            while !self.controls.running().is_empty() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await;
        if drained.is_err() {
            for (job, worker, controller) in self.controls.running() {
                match self.store.release(job, &worker).await {
                    Ok(_) => tracing::info!(%job, "released to the queue at shutdown"),
                    Err(err) => {
                        tracing::error!(%job, error = %err, "could not release a job at shutdown")
                    }
                }
                controller.cancel();
            }
        }
        self.tasks.abort_all();
        while self.tasks.join_next().await.is_some() {}
    }
}

/// First and longest wait after a worker step fails.
const FAILURE_BACKOFF_MIN: Duration = Duration::from_millis(100);
const FAILURE_BACKOFF_MAX: Duration = Duration::from_secs(5);

async fn work(worker: Worker, store: Store, config: Arc<WorkerConfig>, stop: CancellationToken) {
    let wake = store.bus().queued_notifications();
    let mut backoff = FAILURE_BACKOFF_MIN;
    while !stop.is_cancelled() {
        // Register for a wake-up before looking at the queue, so a job queued in between is not
        // missed until the next poll.
        let notified = wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        match worker.run_one().await {
            Ok(Some(_)) => {
                backoff = FAILURE_BACKOFF_MIN;
                continue;
            }
            Ok(None) => backoff = FAILURE_BACKOFF_MIN,
            Err(err) => {
                // The store is failing (full disk, lost database): wait, without being woken by
                // new jobs, so a failing step is not retried in a tight loop that burns the
                // jobs' attempts.
                tracing::error!(worker = worker.id(), error = %err, retry_in_ms = backoff.as_millis() as u64, "worker step failed");
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = stop.cancelled() => {}
                }
                backoff = (backoff * 2).min(FAILURE_BACKOFF_MAX);
                continue;
            }
        }
        tokio::select! {
            _ = notified => {}
            _ = tokio::time::sleep(config.idle_poll) => {}
            _ = stop.cancelled() => {}
        }
    }
}

/// How often stored events of long-finished jobs are pruned.
const PRUNE_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// Requeues jobs whose worker vanished, finishes those out of attempts, and now and then prunes
/// the events of jobs finished longer ago than the retention.
async fn reap(store: Store, config: Arc<WorkerConfig>, stop: CancellationToken) {
    let mut ticks = tokio::time::interval(config.reap_interval);
    let mut last_prune: Option<tokio::time::Instant> = None;
    while !stop.is_cancelled() {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.cancelled() => return,
        }
        match store.requeue_expired(config.max_attempts).await {
            Ok(failed) => {
                for execution in failed {
                    tracing::warn!(job = %execution.id, "failed after its workers vanished");
                    let finish = async {
                        let mut emitter = Emitter::new(store.clone(), execution.id);
                        emitter.finished(&execution).await
                    };
                    if let Err(err) = finish.await {
                        tracing::error!(error = %err, "could not publish a reaped job");
                    }
                }
                if let Err(err) = store.bus().notify_queued().await {
                    tracing::warn!(error = %err, "could not announce requeued jobs");
                }
            }
            Err(err) => tracing::error!(error = %err, "lease reaper failed"),
        }
        if last_prune.is_none_or(|at| at.elapsed() >= PRUNE_INTERVAL) {
            last_prune = Some(tokio::time::Instant::now());
            let cutoff = chrono::Utc::now() - config.event_retention;
            match store.prune_events(cutoff).await {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "pruned the events of long-finished jobs"),
                Err(err) => tracing::warn!(error = %err, "could not prune old job events"),
            }
        }
    }
}

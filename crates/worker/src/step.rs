//! One worker and its one step: claim a job, run it, stream it, finish it.

use std::sync::Arc;

use code_remote_core::{JobId, JobStatus, Outcome, Stream};
use code_remote_sandbox::{self as sandbox, Controller, Sandbox};
use code_remote_store::{ClaimOptions, Claimed, CpuQuota, JobKind, Lease, Store};
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::{
    Result, WorkerConfig,
    controls::Controls,
    output::{Emitter, Utf8Decoder},
    verdict,
};

/// Most chunks merged into one stored batch, so a flood of tiny writes costs a handful of
/// inserts, not thousands.
const MAX_BATCH_CHUNKS: usize = 256;

/// A worker: claims jobs under its own id and runs them one at a time.
#[derive(Clone)]
pub struct Worker {
    id: String,
    pub(crate) store: Store,
    pub(crate) sandbox: Arc<Sandbox>,
    pub(crate) config: Arc<WorkerConfig>,
    pub(crate) controls: Controls,
}

impl Worker {
    pub fn new(id: String, store: Store, sandbox: Arc<Sandbox>, config: Arc<WorkerConfig>) -> Self {
        Self {
            id,
            store,
            sandbox,
            config,
            controls: Controls::default(),
        }
    }

    pub(crate) fn with_controls(mut self, controls: Controls) -> Self {
        self.controls = controls;
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Claims the oldest job this worker may run and runs it to the end. `None` when the queue
    /// has nothing claimable.
    pub async fn run_one(&self) -> Result<Option<JobId>> {
        let options = ClaimOptions {
            worker_id: self.id.clone(),
            lease: self.config.lease,
            max_running_per_user: self.config.max_running_per_user,
        };
        let Some(claimed) = self.store.claim(&options).await? else {
            return Ok(None);
        };
        let job = claimed.execution.id;
        // `instrument`, not `span.enter()`: a guard held across an await would tag whatever else
        // this thread polls meanwhile with this job.
        let span = tracing::info_span!("job", %job, attempt = claimed.attempt);
        self.run_claimed(claimed).instrument(span).await?;
        Ok(Some(job))
    }

    /// Runs a claimed job to its end, or fails it with a message when the platform fails.
    async fn run_claimed(&self, claimed: Claimed) -> Result<()> {
        let job = claimed.execution.id;
        tracing::info!(kind = claimed.kind.as_str(), "claimed");
        let result = match self.quota_spent(&claimed).await {
            Ok(Some(message)) => self.refuse(job, message).await,
            Ok(None) => match claimed.kind {
                JobKind::Execution => match claimed.spec.tests.clone() {
                    Some(suite) => self.judge(claimed, suite).await,
                    None => self.execute(claimed).await,
                },
                JobKind::Measurement => self.measure(claimed).await,
            },
            Err(err) => Err(err),
        };
        self.controls.remove(job);
        if let Err(err) = &result {
            if err.is_transient() {
                // Not `internal_error`: the lease expires and the job runs again.
                tracing::error!(error = %err, "the database failed while running the job");
                return result;
            }
            tracing::error!(error = %err, "the platform failed while running the job");
            metrics::counter!("code_remote_sandbox_failures_total").increment(1);
            self.fail(
                job,
                format!("the platform failed while running this program: {err}"),
            )
            .await?;
        }
        Ok(())
    }

    async fn execute(&self, claimed: Claimed) -> Result<()> {
        let started = std::time::Instant::now();
        let job = claimed.execution.id;
        let mut emitter = Emitter::new(self.store.clone(), job);
        emitter.status(JobStatus::Running).await?;

        let (controller, control_rx) = sandbox::controller();
        self.controls.insert(job, &self.id, controller.clone());
        let sandbox = self.sandbox.clone();
        let prepared = tokio::task::spawn_blocking(move || sandbox.prepare()).await??;
        tracing::debug!(
            elapsed_us = started.elapsed().as_micros() as u64,
            "sandbox prepared"
        );

        let program = sandbox::Program {
            code: claimed.spec.code.into_bytes(),
            stdin: claimed.spec.stdin.into_bytes(),
            interactive_stdin: claimed.spec.interactive,
            limits: verdict::sandbox_limits(&claimed.spec.limits),
        };
        let (chunks_tx, mut chunks) = mpsc::unbounded_channel::<(Stream, Vec<u8>)>();
        // Unbounded in messages, bounded in bytes by the run itself: the sandbox stops reading a
        // stream at its output limit (at most the server's maximum, 1 MiB by default), so at
        // most two output limits can wait here. Only the program writes into it; no client can.
        let run = tokio::task::spawn_blocking(move || {
            prepared.run(program, Some(control_rx), &mut |stream, data| {
                let stream = match stream {
                    sandbox::Stream::Stdout => Stream::Stdout,
                    sandbox::Stream::Stderr => Stream::Stderr,
                };
                let _ = chunks_tx.send((stream, data.to_vec()));
            })
        });

        let mut decoders = [Utf8Decoder::default(), Utf8Decoder::default()];
        let mut heartbeat = tokio::time::interval(self.config.heartbeat);
        heartbeat.tick().await;
        let mut lease_lost = false;
        loop {
            tokio::select! {
                first = chunks.recv() => {
                    let Some(first) = first else { break };
                    let batch = gather(first, &mut chunks);
                    let texts = batch
                        .into_iter()
                        .map(|(stream, bytes)| (stream, decoders[stream as usize].push(&bytes)))
                        .collect();
                    emitter.output(texts).await?;
                }
                _ = heartbeat.tick() => {
                    lease_lost |= self.beat(job, &controller).await? == Lease::Lost;
                }
            }
        }
        let tails = [Stream::Stdout, Stream::Stderr].map(|s| (s, decoders[s as usize].finish()));
        emitter.output(tails.into()).await?;

        let mut run = run.await??;
        self.hand_back(job, &mut emitter, std::mem::take(&mut run.artifacts))
            .await?;
        tracing::debug!(
            elapsed_us = started.elapsed().as_micros() as u64,
            "program ended"
        );
        let status = verdict::job_status(run.status);
        let outcome = verdict::outcome(&run);
        metrics::counter!("code_remote_runs_total", "status" => status.as_str()).increment(1);
        metrics::histogram!("code_remote_run_duration_seconds").record(run.wall_time.as_secs_f64());
        let stored = self
            .store
            .complete_and_publish(job, &self.id, status, &outcome, None)
            .await?;
        match stored {
            Some(_) => {
                tracing::info!(%status, wall_ms = outcome.wall_time_ms, "finished");
                tracing::debug!(
                    elapsed_us = started.elapsed().as_micros() as u64,
                    "result stored and announced"
                );
            }
            None if lease_lost => {
                tracing::warn!("the job was taken over by another worker; result dropped")
            }
            None => tracing::warn!("the job was finished elsewhere; result dropped"),
        }
        Ok(())
    }

    /// Renews the lease of a running job; stops the program when a cancel was requested or
    /// the lease is lost.
    pub(crate) async fn beat(&self, job: JobId, controller: &Controller) -> Result<Lease> {
        let lease = self
            .store
            .heartbeat(job, &self.id, self.config.lease)
            .await?;
        match lease {
            Lease::Held {
                cancel_requested: true,
            } => controller.cancel(),
            Lease::Held {
                cancel_requested: false,
            } => {}
            Lease::Lost => {
                tracing::warn!("lease lost; stopping the program");
                controller.cancel();
            }
        }
        Ok(lease)
    }

    /// Why the claimed job must not run: its owner has used up today's CPU quota (jobs queued
    /// before it was spent, or by another node). `None` when it may run.
    async fn quota_spent(&self, claimed: &Claimed) -> Result<Option<String>> {
        let Some(seconds) = self.config.cpu_seconds_per_user_per_day else {
            return Ok(None);
        };
        let quota = CpuQuota::daily(seconds);
        let user = claimed.execution.user_id;
        let used_ms = self.store.cpu_ms_since(user, quota.since).await?;
        Ok((used_ms >= quota.limit_ms).then(|| {
            format!(
                "daily CPU quota exceeded: your jobs have used {used_ms} ms of today's {} ms; \
                 it resets at 00:00 UTC, so this job was not run",
                quota.limit_ms
            )
        }))
    }

    /// Ends a claimed job without running it.
    async fn refuse(&self, job: JobId, message: String) -> Result<()> {
        tracing::info!(%message, "not run");
        let outcome = Outcome {
            message: Some(message),
            ..Outcome::default()
        };
        self.store
            .complete_and_publish(job, &self.id, JobStatus::Failed, &outcome, None)
            .await?;
        Ok(())
    }

    /// Records a platform failure as the job's terminal state, if this worker still holds it.
    async fn fail(&self, job: JobId, message: String) -> Result<()> {
        let outcome = verdict::internal_failure(message);
        self.store
            .complete_and_publish(job, &self.id, JobStatus::InternalError, &outcome, None)
            .await?;
        Ok(())
    }
}

/// The first chunk plus whatever else is already waiting: nothing is held back for later, so
/// live output is not delayed, and chunks that queued up while the last batch was being stored
/// go out together.
fn gather(
    first: (Stream, Vec<u8>),
    chunks: &mut mpsc::UnboundedReceiver<(Stream, Vec<u8>)>,
) -> Vec<(Stream, Vec<u8>)> {
    let mut batch = vec![first];
    for _ in 1..MAX_BATCH_CHUNKS {
        let Ok(next) = chunks.try_recv() else { break };
        // Merge consecutive chunks of the same stream into one event.
        match batch.last_mut() {
            Some((stream, bytes)) if *stream == next.0 => bytes.extend_from_slice(&next.1),
            _ => batch.push(next),
        }
    }
    batch
}

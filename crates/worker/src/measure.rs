//! Measurement jobs: the analyzer's timing harness around the user's code, run in the sandbox
//! (empirical complexity). The points and fit are stored as the job's result (JSON); the run's
//! CPU time is the job's, so it counts against its owner's quota like any execution.

use std::{
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use code_remote_analyzer::{
    Measure, MeasureOutput,
    empirical::{self, MeasureError},
};
use code_remote_core::{JobStatus, Limits, Outcome};
use code_remote_sandbox::{self as sandbox, ControlReceiver, Program, Sandbox, Status};
use code_remote_store::{Claimed, Lease};

use crate::{Result, Worker, output::Emitter, verdict::sandbox_limits};

/// The analyzer's `Measure`, backed by the sandbox with the job's limits (the analyzer may ask
/// for less time, never more). It adds up what its runs used, for the job's record.
struct SandboxMeasure {
    sandbox: Arc<Sandbox>,
    limits: Limits,
    /// Lets the worker stop the run (cancel, lost lease); taken by the first run.
    control: Mutex<Option<ControlReceiver>>,
    used: Mutex<Usage>,
}

/// What the runs of one measurement used, and whether one was stopped by a cancel.
#[derive(Default)]
struct Usage {
    outcome: Outcome,
    cancelled: bool,
}

impl Measure for SandboxMeasure {
    fn run_python(&self, code: &str, time_limit: Duration) -> Result<MeasureOutput, String> {
        let mut limits = sandbox_limits(&self.limits);
        limits.wall_time = time_limit.min(limits.wall_time);
        let prepared = self.sandbox.prepare().map_err(|err| err.to_string())?;
        let program = Program {
            code: code.as_bytes().to_vec(),
            stdin: Vec::new(),
            interactive_stdin: false,
            limits,
        };
        let control = self
            .control
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let outcome = prepared
            .run(program, control, &mut |_, _| {})
            .map_err(|err| err.to_string())?;
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        used.cancelled |= outcome.status == Status::Cancelled;
        let total = &mut used.outcome;
        total.wall_time_ms += outcome.wall_time.as_millis() as u64;
        total.cpu_time_ms += outcome.cpu_time.as_millis() as u64;
        total.peak_memory_kib = total.peak_memory_kib.max(outcome.peak_memory_bytes / 1024);
        Ok(MeasureOutput {
            stdout: String::from_utf8_lossy(&outcome.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&outcome.stderr).into_owned(),
            succeeded: outcome.status == Status::Succeeded,
        })
    }
}

impl Worker {
    /// Runs a claimed measurement job to the end: status events, heartbeats, result.
    pub(crate) async fn measure(&self, claimed: Claimed) -> Result<()> {
        let job = claimed.execution.id;
        let mut emitter = Emitter::new(self.store.clone(), job);
        emitter.status(JobStatus::Running).await?;
        let (controller, control_rx) = sandbox::controller();
        self.controls.insert(job, self.id(), controller.clone());
        let runner = SandboxMeasure {
            sandbox: self.sandbox.clone(),
            limits: claimed.spec.limits,
            control: Mutex::new(Some(control_rx)),
            used: Mutex::new(Usage::default()),
        };
        let code = claimed.spec.code;
        let mut run = tokio::task::spawn_blocking(move || {
            let measured = empirical::measure(&code, &runner);
            (measured, runner.used.into_inner().unwrap_or_default())
        });

        let mut heartbeat = tokio::time::interval(self.config.heartbeat);
        heartbeat.tick().await;
        let mut cancelled = false;
        let (measured, used) = loop {
            tokio::select! {
                done = &mut run => break done?,
                _ = heartbeat.tick() => {
                    cancelled |= self.beat(job, &controller).await? != Lease::Held {
                        cancel_requested: false,
                    };
                }
            }
        };
        // Stopped by a heartbeat's cancel request, or by one that came over the bus.
        let (mut outcome, cancelled) = (used.outcome, cancelled || used.cancelled);
        // A measurement's points and fit are its result; why there are none is its message.
        let (status, result, message) = match measured {
            _ if cancelled => (
                JobStatus::Cancelled,
                None,
                "cancelled while measuring".to_owned(),
            ),
            Ok(measurements) => {
                let json = serde_json::to_string(&measurements).map_err(crate::Error::Encode)?;
                (JobStatus::Succeeded, Some(json), String::new())
            }
            Err(err @ MeasureError::Sandbox(_)) => {
                metrics::counter!("code_remote_sandbox_failures_total").increment(1);
                (JobStatus::InternalError, None, err.to_string())
            }
            Err(err) => (JobStatus::Failed, None, err.to_string()),
        };
        outcome.message = (!message.is_empty()).then_some(message);
        metrics::counter!("code_remote_runs_total", "status" => status.as_str()).increment(1);
        let stored = self
            .store
            .complete_and_publish(job, self.id(), status, &outcome, result.as_deref())
            .await?;
        match stored {
            Some(_) => tracing::info!(%status, cpu_ms = outcome.cpu_time_ms, "measured"),
            None => tracing::warn!("the job was finished elsewhere; measurement dropped"),
        }
        Ok(())
    }
}

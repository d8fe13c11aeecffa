//! Controls of the jobs this process is running, so stdin and cancel messages that arrive on the
//! bus (from any API node) reach the sandbox running the job.
//!
//! Stdin a program has not read is bounded per run (`code_remote_sandbox::MAX_PENDING_STDIN`):
//! a write beyond it is refused with [`StdinFull`], never buffered.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use code_remote_core::JobId;
use code_remote_sandbox::{Controller, StdinFull};
use code_remote_store::{Bus, Control};
use tokio::sync::broadcast::error::RecvError;

#[derive(Clone, Default)]
pub(crate) struct Controls {
    running: Arc<Mutex<HashMap<JobId, (String, Controller)>>>,
}

impl Controls {
    pub(crate) fn insert(&self, job: JobId, worker_id: &str, controller: Controller) {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(job, (worker_id.to_owned(), controller));
    }

    /// The jobs running now, with the worker that holds each.
    pub(crate) fn running(&self) -> Vec<(JobId, String, Controller)> {
        let running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        running
            .iter()
            .map(|(job, (worker, controller))| (*job, worker.clone(), controller.clone()))
            .collect()
    }

    pub(crate) fn remove(&self, job: JobId) {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&job);
    }

    fn get(&self, job: JobId) -> Option<Controller> {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&job)
            .map(|(_, c)| c.clone())
    }

    /// Delivers `message` to the sandbox running `job`, if this process runs it. Stdin the
    /// program has no room for is refused and the refusal returned; nothing of it is kept.
    pub(crate) fn deliver(&self, job: JobId, message: Control) -> Result<(), StdinFull> {
        let Some(controller) = self.get(job) else {
            return Ok(());
        };
        match message {
            Control::Stdin(data) => controller.write_stdin(data.into_bytes())?,
            Control::CloseStdin => controller.close_stdin(),
            Control::Cancel => controller.cancel(),
        }
        Ok(())
    }

    /// Forwards control messages from the bus to the local sandboxes until the bus closes.
    pub(crate) async fn forward(self, bus: Bus) {
        let mut messages = bus.subscribe_control();
        loop {
            match messages.recv().await {
                Ok((job, message)) => {
                    if let Err(refused) = self.deliver(job, message) {
                        tracing::warn!(%job, %refused, "stdin for a running job was refused");
                    }
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "control messages were dropped")
                }
                Err(RecvError::Closed) => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use code_remote_sandbox::MAX_PENDING_STDIN;

    use super::*;

    #[test]
    fn stdin_beyond_what_the_program_has_room_for_is_refused() {
        let controls = Controls::default();
        let job = JobId::new();
        let (controller, _run) = code_remote_sandbox::controller();
        controls.insert(job, "worker-1", controller);
        let almost_all = "x".repeat(MAX_PENDING_STDIN - 1);
        assert_eq!(controls.deliver(job, Control::Stdin(almost_all)), Ok(()));
        assert_eq!(controls.deliver(job, Control::Stdin("y".into())), Ok(()));
        let refused = controls.deliver(job, Control::Stdin("z".into()));
        assert_eq!(
            refused,
            Err(StdinFull {
                pending: MAX_PENDING_STDIN,
                written: 1
            })
        );
        assert_eq!(controls.deliver(job, Control::Cancel), Ok(()));
    }

    #[test]
    fn messages_for_jobs_running_elsewhere_are_ignored() {
        let controls = Controls::default();
        let elsewhere = JobId::new();
        assert_eq!(
            controls.deliver(elsewhere, Control::Stdin("x".repeat(2 * MAX_PENDING_STDIN))),
            Ok(())
        );
    }
}

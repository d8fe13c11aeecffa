//! Controls of the jobs this process is running, so stdin and cancel messages that arrive on the
//! bus (from any API node) reach the sandbox running the job.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use code_remote_core::JobId;
use code_remote_sandbox::Controller;
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

    /// Forwards control messages from the bus to the local sandboxes until the bus closes.
    pub(crate) async fn forward(self, bus: Bus) {
        let mut messages = bus.subscribe_control();
        loop {
            match messages.recv().await {
                Ok((job, message)) => {
                    let Some(controller) = self.get(job) else {
                        continue;
                    };
                    match message {
                        Control::Stdin(data) => controller.write_stdin(data.into_bytes()),
                        Control::CloseStdin => controller.close_stdin(),
                        Control::Cancel => controller.cancel(),
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

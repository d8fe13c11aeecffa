//! The event hub of one API node: turns the bus's "job J has events up to seq S" announcements
//! into event bodies read once from the store, and fans them out to this node's subscribers.
//!
//! Subscribers get what they missed first (read from the store), then live events, with
//! duplicates dropped by `seq`, so a late or reconnecting subscriber sees every event once, in
//! order.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use code_remote_core::{Execution, JobEvent, JobId};
use code_remote_store::Store;
use futures::{Stream, StreamExt, stream};
use tokio::sync::broadcast::{self, error::RecvError};

/// Events buffered per job for slow local subscribers before they must re-read the store.
const CHANNEL_CAPACITY: usize = 1024;

#[derive(Clone)]
pub struct Hub {
    store: Store,
    jobs: Arc<Mutex<HashMap<JobId, JobChannel>>>,
}

struct JobChannel {
    sender: broadcast::Sender<JobEvent>,
    /// Highest seq this node has read from the store for the job.
    read_up_to: u64,
}

impl Hub {
    /// Creates the hub and starts its task, which follows the bus for as long as it is open.
    pub fn start(store: Store) -> Self {
        let hub = Self {
            store,
            jobs: Arc::default(),
        };
        tokio::spawn(hub.clone().follow());
        hub
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<JobId, JobChannel>> {
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn follow(self) {
        let mut announcements = self.store.bus().subscribe_events();
        loop {
            match announcements.recv().await {
                Ok((job, seq)) => self.deliver(job, seq).await,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(
                        missed,
                        "event announcements lagged; re-reading every watched job"
                    );
                    let watched: Vec<JobId> = self.lock().keys().copied().collect();
                    for job in watched {
                        self.deliver(job, u64::MAX).await;
                    }
                }
                Err(RecvError::Closed) => return,
            }
        }
    }

    /// Reads the job's new events from the store, if anyone here watches it, and broadcasts them.
    async fn deliver(&self, job: JobId, seq: u64) {
        let after = {
            let mut jobs = self.lock();
            jobs.retain(|_, channel| channel.sender.receiver_count() > 0);
            match jobs.get(&job) {
                Some(channel) if channel.read_up_to < seq => channel.read_up_to,
                _ => return,
            }
        };
        let events = match self.store.events_since(job, after).await {
            Ok(events) => events,
            Err(err) => {
                tracing::error!(%job, error = %err, "could not read job events");
                return;
            }
        };
        let mut jobs = self.lock();
        let Some(channel) = jobs.get_mut(&job) else {
            return;
        };
        for event in events {
            if event.seq() > channel.read_up_to {
                channel.read_up_to = event.seq();
                let _ = channel.sender.send(event);
            }
        }
    }

    /// Every event of `job`, from the first, then live until the final one.
    pub async fn events(
        &self,
        job: JobId,
    ) -> Result<
        impl Stream<Item = Result<JobEvent, code_remote_store::Error>> + Send + 'static,
        code_remote_store::Error,
    > {
        // Listen before reading history, so nothing falls between the two.
        let receiver = {
            let mut jobs = self.lock();
            let channel = jobs.entry(job).or_insert_with(|| JobChannel {
                sender: broadcast::channel(CHANNEL_CAPACITY).0,
                read_up_to: 0,
            });
            channel.sender.subscribe()
        };
        let mut history = self.store.events_since(job, 0).await?;
        if !history.last().is_some_and(JobEvent::is_final)
            && let Some(execution) = self.store.job(job).await?
            && execution.status.is_terminal()
        {
            // Finished long ago and its events were pruned (or the final event is about to be
            // stored, and the copy is dropped by `seq`): the stored execution is the answer.
            let seq = history.last().map_or(0, JobEvent::seq) + 1;
            history.push(JobEvent::Finished {
                job_id: job,
                seq,
                execution: Box::new(execution),
            });
        }
        let state = Follow {
            store: self.store.clone(),
            job,
            receiver,
            pending: history.into(),
            sent: 0,
            done: false,
        };
        Ok(stream::unfold(state, Follow::next))
    }

    /// Waits for the job's final event, up to `timeout`.
    pub async fn wait_finished(
        &self,
        job: JobId,
        timeout: Duration,
    ) -> Result<Option<Execution>, code_remote_store::Error> {
        let events = self.events(job).await?;
        let finished = async {
            futures::pin_mut!(events);
            while let Some(event) = events.next().await {
                if let JobEvent::Finished { execution, .. } = event? {
                    return Ok(Some(*execution));
                }
            }
            Ok(None)
        };
        tokio::time::timeout(timeout, finished)
            .await
            .unwrap_or(Ok(None))
    }
}

/// One subscriber's position in one job's events.
struct Follow {
    store: Store,
    job: JobId,
    receiver: broadcast::Receiver<JobEvent>,
    pending: std::collections::VecDeque<JobEvent>,
    sent: u64,
    done: bool,
}

impl Follow {
    async fn next(mut self) -> Option<(Result<JobEvent, code_remote_store::Error>, Self)> {
        loop {
            if self.done {
                return None;
            }
            while let Some(event) = self.pending.pop_front() {
                if event.seq() > self.sent {
                    self.sent = event.seq();
                    self.done = event.is_final();
                    return Some((Ok(event), self));
                }
            }
            match self.receiver.recv().await {
                Ok(event) => self.pending.push_back(event),
                // Too slow for the live channel: catch up from the store.
                Err(RecvError::Lagged(_)) => {
                    match self.store.events_since(self.job, self.sent).await {
                        Ok(events) => self.pending.extend(events),
                        Err(err) => {
                            self.done = true;
                            return Some((Err(err), self));
                        }
                    }
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

/// Stores and announces the final event of a job finished outside a worker (cancelled while
/// queued).
pub async fn publish_finished(
    store: &Store,
    execution: Execution,
) -> Result<(), code_remote_store::Error> {
    let job = execution.id;
    let seq = store.last_seq(job).await? + 1;
    let finished = JobEvent::Finished {
        job_id: job,
        seq,
        execution: Box::new(execution),
    };
    store.publish_events(job, &[finished]).await
}

//! The event hub of one API node: turns the bus's "job J has events up to seq S" announcements
//! into event bodies read once from the store, serialised once, and fanned out (shared, not
//! copied) to this node's subscribers. It also keeps the node's per-user WebSocket count and the
//! stdin each job has been sent over WebSockets.
//!
//! Subscribers get what they missed first (read from the store), then live events, with
//! duplicates dropped by `seq`, so a late or reconnecting subscriber sees every event once, in
//! order. Ordering that makes this hold (load-bearing):
//! - a subscriber joins the job's broadcast *before* it reads the store, so an event is either
//!   in what it reads or broadcast after it joined;
//! - the hub listens to the bus from [`Hub::start`] on, not from whenever its task first runs;
//! - a worker stores every output event before it marks the job finished, so once the job's row
//!   is terminal, one more read has all of them (a missing final event is then built from the
//!   row, numbered after everything stored).

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use code_remote_core::{Execution, JobEvent, JobId, UserId};
use code_remote_store::Store;
use futures::{Stream, stream};
use tokio::sync::{
    broadcast::{self, error::RecvError},
    watch,
};

/// Events buffered per job for slow local subscribers before they must re-read the store.
const CHANNEL_CAPACITY: usize = 1024;
/// How long the hub waits before reading a job's events again after the store failed.
const RETRY_DELAY: Duration = Duration::from_millis(200);
/// How often a `?wait=true` request reads its job's row again while it waits.
const WAIT_RECHECK: Duration = Duration::from_secs(1);
/// Stdin totals are normally forgotten when the job's final event passes this node; past this
/// many, those untouched for [`STDIN_FORGET_AFTER`] are dropped too (jobs nobody here follows).
const STDIN_SWEEP_AT: usize = 1024;
const STDIN_FORGET_AFTER: Duration = Duration::from_secs(60 * 60);

/// One event, serialised once for every subscriber that sends it.
#[derive(Debug)]
pub struct SharedEvent {
    pub event: JobEvent,
    pub json: Arc<str>,
}

pub type Shared = Arc<SharedEvent>;

fn share(event: JobEvent) -> Shared {
    // A JobEvent is plain data: serialising it cannot fail.
    let json = serde_json::to_string(&event).unwrap_or_default().into();
    Arc::new(SharedEvent { event, json })
}

#[derive(Clone)]
pub struct Hub {
    #[cfg(test)]
    gate: Arc<tests::Gate>,
    store: Store,
    jobs: Arc<Mutex<HashMap<JobId, JobChannel>>>,
    connections: Arc<Mutex<HashMap<UserId, usize>>>,
    /// Stdin bytes sent to each job over WebSockets on this node, and when last.
    stdin: Arc<Mutex<HashMap<JobId, (usize, Instant)>>>,
}

struct JobChannel {
    sender: broadcast::Sender<Shared>,
    /// Highest seq this node has read from the store for the job.
    read_up_to: u64,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Hub {
    /// Creates the hub and starts its task, which follows the bus for as long as it is open.
    /// Announcements made after this returns are delivered.
    pub fn start(store: Store) -> Self {
        let hub = Self {
            #[cfg(test)]
            gate: Arc::default(),
            store,
            jobs: Arc::default(),
            connections: Arc::default(),
            stdin: Arc::default(),
        };
        // Subscribe here, not in the task: the task may first run after a job has finished.
        let bus = hub.store.bus();
        tokio::spawn(
            hub.clone()
                .follow(bus.subscribe_events(), bus.reconnections()),
        );
        hub
    }

    async fn follow(
        self,
        mut announcements: broadcast::Receiver<(JobId, u64)>,
        mut reconnections: watch::Receiver<u64>,
    ) {
        let mut failed: Vec<JobId> = Vec::new();
        loop {
            let retry = async {
                if failed.is_empty() {
                    std::future::pending::<()>().await;
                }
                tokio::time::sleep(RETRY_DELAY).await;
            };
            tokio::select! {
                announcement = announcements.recv() => match announcement {
                    Ok((job, seq)) => {
                        if !self.deliver(job, seq).await {
                            failed.push(job);
                        }
                    }
                    Err(RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "event announcements lagged; re-reading every watched job");
                        failed.extend(self.watched());
                    }
                    Err(RecvError::Closed) => return,
                },
                changed = reconnections.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    // Notifications may have been lost while the listener was away.
                    failed.extend(self.watched());
                }
                () = retry => {
                    let jobs = std::mem::take(&mut failed);
                    for job in jobs {
                        if !self.deliver(job, u64::MAX).await {
                            failed.push(job);
                        }
                    }
                }
            }
            failed.sort_unstable();
            failed.dedup();
        }
    }

    fn watched(&self) -> Vec<JobId> {
        lock(&self.jobs).keys().copied().collect()
    }

    /// Reads the job's new events from the store, if anyone here watches it, and broadcasts
    /// them. False when the store could not be read (the caller tries again later).
    async fn deliver(&self, job: JobId, seq: u64) -> bool {
        let after = {
            let mut jobs = lock(&self.jobs);
            jobs.retain(|_, channel| channel.sender.receiver_count() > 0);
            match jobs.get(&job) {
                Some(channel) if channel.read_up_to < seq => channel.read_up_to,
                _ => return true,
            }
        };
        let events = match self.store.events_since(job, after).await {
            Ok(events) => events,
            Err(err) => {
                tracing::error!(%job, error = %err, "could not read job events; retrying");
                return false;
            }
        };
        if events.last().is_some_and(JobEvent::is_final) {
            lock(&self.stdin).remove(&job);
        }
        let mut jobs = lock(&self.jobs);
        let Some(channel) = jobs.get_mut(&job) else {
            return true;
        };
        // Concurrent reads are safe: only events past `read_up_to` go out, in order.
        for event in events {
            if event.seq() > channel.read_up_to {
                channel.read_up_to = event.seq();
                let _ = channel.sender.send(share(event));
            }
        }
        true
    }

    /// Joins the job's live channel (before anything is read for it).
    fn listen(&self, job: JobId) -> broadcast::Receiver<Shared> {
        let mut jobs = lock(&self.jobs);
        let channel = jobs.entry(job).or_insert_with(|| JobChannel {
            sender: broadcast::channel(CHANNEL_CAPACITY).0,
            read_up_to: 0,
        });
        channel.sender.subscribe()
    }

    /// The events of `job` with `seq > after_seq`, stored ones first, then live until the
    /// final one.
    pub async fn events(
        &self,
        job: JobId,
        after_seq: u64,
    ) -> Result<
        impl Stream<Item = Result<Shared, code_remote_store::Error>> + Send + 'static,
        code_remote_store::Error,
    > {
        let receiver = self.listen(job);
        let mut history = self.store.events_since(job, after_seq).await?;
        #[cfg(test)]
        self.gate.pass().await;
        if !history.last().is_some_and(JobEvent::is_final)
            && let Some((_, status)) = self.store.job_owner(job).await?
            && status.is_terminal()
        {
            // Every output event was stored before the row became terminal: read once more so
            // none is numbered after a final event built here.
            let last = history.last().map_or(after_seq, JobEvent::seq);
            history.extend(self.store.events_since(job, last).await?);
            if !history.last().is_some_and(JobEvent::is_final)
                && let Some(execution) = self.store.job(job).await?
            {
                // Its events were pruned, or the worker stopped between storing the result and
                // its final event: the stored execution is the answer.
                let seq = history.last().map_or(after_seq, JobEvent::seq) + 1;
                history.push(JobEvent::finished(&execution, seq));
            }
        }
        let state = Follow {
            store: self.store.clone(),
            job,
            receiver,
            pending: history.into_iter().map(share).collect(),
            sent: after_seq,
            done: false,
        };
        Ok(stream::unfold(state, Follow::next))
    }

    /// Waits for the job to finish, up to `timeout`, and returns its whole stored execution
    /// (the final event carries only a summary). Reads no output events.
    pub async fn wait_finished(
        &self,
        job: JobId,
        timeout: Duration,
    ) -> Result<Option<Execution>, code_remote_store::Error> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut receiver = self.listen(job);
        loop {
            // Joined the channel first: a job finishing after this read is announced to us.
            if let Some((_, status)) = self.store.job_owner(job).await?
                && status.is_terminal()
            {
                return self.store.job(job).await;
            }
            loop {
                // The row is read again now and then, so an announcement that never comes (a
                // worker that died between storing the result and publishing it) costs a
                // second, not the answer.
                let wake = deadline.min(tokio::time::Instant::now() + WAIT_RECHECK);
                match tokio::time::timeout_at(wake, receiver.recv()).await {
                    Err(_) if wake >= deadline => return Ok(None),
                    Err(_) => break,
                    Ok(Ok(event)) if event.event.is_final() => break,
                    Ok(Ok(_)) => {}
                    Ok(Err(RecvError::Lagged(_))) => break,
                    Ok(Err(RecvError::Closed)) => return Ok(None),
                }
            }
        }
    }

    /// Counts an open WebSocket of `user`; `None` when the user already has `max` on this node.
    pub fn open_connection(&self, user: UserId, max: usize) -> Option<ConnectionGuard> {
        let mut connections = lock(&self.connections);
        let open = connections.entry(user).or_default();
        if *open >= max {
            return None;
        }
        *open += 1;
        Some(ConnectionGuard {
            connections: self.connections.clone(),
            user,
        })
    }

    /// Adds `bytes` to the stdin sent to `job` over WebSockets on this node; false (and
    /// nothing added) when the total would pass `max`.
    pub fn take_stdin(&self, job: JobId, bytes: usize, max: usize) -> bool {
        let now = Instant::now();
        let mut totals = lock(&self.stdin);
        if totals.len() >= STDIN_SWEEP_AT {
            totals.retain(|_, (_, last)| now.duration_since(*last) < STDIN_FORGET_AFTER);
        }
        let (total, last) = totals.entry(job).or_insert((0, now));
        if total.saturating_add(bytes) > max {
            return false;
        }
        *total += bytes;
        *last = now;
        true
    }

    /// Forgets the stdin total of a job that has finished.
    pub fn forget_stdin(&self, job: JobId) {
        lock(&self.stdin).remove(&job);
    }
}

/// One open WebSocket of a user; dropping it frees the slot.
pub struct ConnectionGuard {
    connections: Arc<Mutex<HashMap<UserId, usize>>>,
    user: UserId,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        let mut connections = lock(&self.connections);
        if let Some(open) = connections.get_mut(&self.user) {
            *open -= 1;
            if *open == 0 {
                connections.remove(&self.user);
            }
        }
    }
}

/// One subscriber's position in one job's events.
struct Follow {
    store: Store,
    job: JobId,
    receiver: broadcast::Receiver<Shared>,
    pending: VecDeque<Shared>,
    sent: u64,
    done: bool,
}

impl Follow {
    async fn next(mut self) -> Option<(Result<Shared, code_remote_store::Error>, Self)> {
        loop {
            if self.done {
                return None;
            }
            while let Some(event) = self.pending.pop_front() {
                if event.event.seq() > self.sent {
                    self.sent = event.event.seq();
                    self.done = event.event.is_final();
                    return Some((Ok(event), self));
                }
            }
            match self.receiver.recv().await {
                Ok(event) => self.pending.push_back(event),
                // Too slow for the live channel: catch up from the store.
                Err(RecvError::Lagged(_)) => {
                    match self.store.events_since(self.job, self.sent).await {
                        Ok(events) => self.pending.extend(events.into_iter().map(share)),
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
    execution: &Execution,
) -> Result<(), code_remote_store::Error> {
    // The store numbers it (the `0` is replaced), after any event stored meanwhile.
    store
        .publish(execution.id, vec![JobEvent::finished(execution, 0)])
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests;

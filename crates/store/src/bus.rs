//! Cross-node signalling: "job J has a new event N", "a job was queued", and control messages
//! (stdin, close stdin, cancel) for the worker that runs a job.
//!
//! With SQLite everything runs in one process, so the bus is a set of tokio channels. With
//! PostgreSQL every node publishes through `NOTIFY` and receives through one `LISTEN`ing
//! connection per store (see [`listener`]), which reconnects with backoff when the database
//! restarts. Notifications carry ids only (NOTIFY payloads are limited to 8000 bytes);
//! event bodies are read from the events table, and stdin is split into chunks that fit.
//!
//! Delivery is at most once: a notification sent while a node is reconnecting is lost. After
//! every reconnect [`Bus::reconnections`] changes, so subscribers can re-read what they follow
//! from the store, and idle workers are woken to look at the queue.

mod listener;
mod wire;

use std::{fmt, sync::Arc};

use code_remote_core::JobId;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tokio::{
    sync::{Notify, broadcast, watch},
    task::JoinHandle,
};

use crate::Result;
use listener::Signals;
use wire::Channels;

/// Events and control messages a subscriber may fall behind by before it sees `Lagged`.
const CHANNEL_CAPACITY: usize = 4096;

/// A message for the worker running a job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Control {
    /// Text for the program's stdin. Over PostgreSQL a long text arrives as several chunks.
    Stdin(String),
    CloseStdin,
    Cancel,
}

/// The signalling bus of one store. Cloning is cheap; all clones share the same channels.
#[derive(Clone)]
pub struct Bus {
    inner: Arc<Inner>,
}

struct Inner {
    signals: Signals,
    remote: Option<Remote>,
}

struct Remote {
    pool: PgPool,
    channels: Channels,
    listener: JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(remote) = &self.remote {
            remote.listener.abort();
        }
    }
}

impl fmt::Debug for Bus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.inner.remote.is_some() {
            "postgres"
        } else {
            "in-process"
        };
        f.debug_struct("Bus").field("kind", &kind).finish()
    }
}

impl Bus {
    /// A bus for one process (the SQLite backend).
    pub(crate) fn local() -> Bus {
        Bus {
            inner: Arc::new(Inner {
                signals: Signals::new(CHANNEL_CAPACITY),
                remote: None,
            }),
        }
    }

    /// A bus over PostgreSQL LISTEN/NOTIFY. Returns once this node is listening, so anything
    /// published after it returns is delivered here too.
    pub(crate) async fn postgres(pool: PgPool) -> Result<Bus> {
        let channels = Channels::for_pool(&pool).await?;
        let signals = Signals::new(CHANNEL_CAPACITY);
        let first = listener::listen(&pool, &channels).await?;
        let task = tokio::spawn(listener::run(
            pool.clone(),
            channels.clone(),
            first,
            signals.clone(),
        ));
        let remote = Remote {
            pool,
            channels,
            listener: task,
        };
        Ok(Bus {
            inner: Arc::new(Inner {
                signals,
                remote: Some(remote),
            }),
        })
    }

    /// Tells every node that job `job` has stored event `seq` (call after `append_events`).
    pub async fn publish_event(&self, job: JobId, seq: u64) -> Result<()> {
        match &self.inner.remote {
            None => self.inner.signals.event(job, seq),
            Some(remote) => {
                notify(
                    &remote.pool,
                    &remote.channels.events,
                    &wire::event(job, seq),
                )
                .await?
            }
        }
        Ok(())
    }

    /// [`Bus::publish_event`] from inside a PostgreSQL transaction: the notification goes out
    /// when the transaction commits, and never if it does not.
    pub(crate) async fn publish_event_in(
        &self,
        conn: &mut sqlx::PgConnection,
        job: JobId,
        seq: u64,
    ) -> Result<()> {
        match &self.inner.remote {
            None => self.inner.signals.event(job, seq),
            Some(remote) => notify(conn, &remote.channels.events, &wire::event(job, seq)).await?,
        }
        Ok(())
    }

    /// Every `(job, seq)` published on any node, including this one.
    pub fn subscribe_events(&self) -> broadcast::Receiver<(JobId, u64)> {
        self.inner.signals.events.subscribe()
    }

    /// Wakes idle workers on every node (call after enqueueing or requeueing).
    pub async fn notify_queued(&self) -> Result<()> {
        match &self.inner.remote {
            None => self.inner.signals.queued(),
            Some(remote) => notify(&remote.pool, &remote.channels.queued, "").await?,
        }
        Ok(())
    }

    /// Notified when a job may be waiting. Wakes every current waiter and leaves one permit;
    /// to miss nothing, a worker should `enable()` its `notified()` future before it tries to
    /// claim, and still poll now and then.
    pub fn queued_notifications(&self) -> Arc<Notify> {
        self.inner.signals.queued.clone()
    }

    /// Sends a control message to whichever node runs `job`.
    pub async fn send_control(&self, job: JobId, msg: Control) -> Result<()> {
        match &self.inner.remote {
            None => self.inner.signals.control(job, msg),
            Some(remote) => {
                for payload in wire::control(job, &msg)? {
                    notify(&remote.pool, &remote.channels.control, &payload).await?;
                }
            }
        }
        Ok(())
    }

    /// Every control message sent on any node; a worker keeps those for the jobs it runs.
    pub fn subscribe_control(&self) -> broadcast::Receiver<(JobId, Control)> {
        self.inner.signals.control.subscribe()
    }

    /// Changes each time this node's PostgreSQL listener reconnects (notifications may have
    /// been missed meanwhile: re-read from the store). Never changes for the in-process bus.
    pub fn reconnections(&self) -> watch::Receiver<u64> {
        self.inner.signals.reconnects.subscribe()
    }
}

async fn notify(conn: impl sqlx::PgExecutor<'_>, channel: &str, payload: &str) -> Result<()> {
    sqlx::query("select pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(conn)
        .await?;
    Ok(())
}

//! The LISTEN side of the PostgreSQL bus: one connection per store that turns notifications
//! into local broadcasts, and comes back after a dropped connection or a database restart.

use std::{sync::Arc, time::Duration};

use code_remote_core::JobId;
use sqlx::{
    PgPool,
    postgres::{PgListener, PgNotification},
};
use tokio::sync::{Notify, broadcast, watch};

use super::{Control, wire, wire::Channels};

const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The local side of the bus: what subscribers on this node receive.
#[derive(Clone)]
pub(super) struct Signals {
    pub(super) events: broadcast::Sender<(JobId, u64)>,
    pub(super) control: broadcast::Sender<(JobId, Control)>,
    pub(super) queued: Arc<Notify>,
    pub(super) reconnects: Arc<watch::Sender<u64>>,
}

impl Signals {
    pub(super) fn new(capacity: usize) -> Signals {
        Signals {
            events: broadcast::channel(capacity).0,
            control: broadcast::channel(capacity).0,
            queued: Arc::new(Notify::new()),
            reconnects: Arc::new(watch::channel(0).0),
        }
    }

    // A send with no subscriber is not an error: nobody on this node follows that job.
    pub(super) fn event(&self, job: JobId, seq: u64) {
        let _ = self.events.send((job, seq));
    }

    pub(super) fn control(&self, job: JobId, msg: Control) {
        let _ = self.control.send((job, msg));
    }

    pub(super) fn queued(&self) {
        self.queued.notify_waiters();
        self.queued.notify_one();
    }

    fn dispatch(&self, channels: &Channels, notification: &PgNotification) {
        let channel = notification.channel();
        let payload = notification.payload();
        if channel == channels.events {
            match wire::parse_event(payload) {
                Some((job, seq)) => self.event(job, seq),
                None => tracing::warn!(payload, "ignoring a malformed event notification"),
            }
        } else if channel == channels.control {
            match wire::parse_control(payload) {
                Some((job, msg)) => self.control(job, msg),
                None => tracing::warn!(payload, "ignoring a malformed control notification"),
            }
        } else if channel == channels.queued {
            self.queued();
        }
    }
}

pub(super) async fn listen(pool: &PgPool, channels: &Channels) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    // We replace the whole listener after a loss, below.
    listener.eager_reconnect(false);
    listener.listen_all(channels.all()).await?;
    Ok(listener)
}

/// Receives until the pool closes. A lost connection is replaced with exponential backoff;
/// after each reconnect, waiters are woken because notifications may have been missed.
pub(super) async fn run(
    pool: PgPool,
    channels: Channels,
    mut listener: PgListener,
    signals: Signals,
) {
    loop {
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => signals.dispatch(&channels, &notification),
                Ok(None) => {
                    tracing::warn!("bus listener lost its database connection; reconnecting");
                    break;
                }
                Err(error) => {
                    if pool.is_closed() {
                        return;
                    }
                    tracing::warn!(%error, "bus listener failed; reconnecting");
                    break;
                }
            }
        }
        drop(listener);
        let mut backoff = FIRST_BACKOFF;
        listener = loop {
            tokio::time::sleep(backoff).await;
            if pool.is_closed() {
                return;
            }
            match listen(&pool, &channels).await {
                Ok(listener) => break listener,
                Err(error) => {
                    tracing::warn!(%error, retry_in = ?backoff, "bus listener cannot reconnect yet");
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        };
        tracing::info!("bus listener reconnected");
        signals.reconnects.send_modify(|count| *count += 1);
        signals.queued();
    }
}

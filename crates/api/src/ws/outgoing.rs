//! What one WebSocket has queued for its client, bounded in bytes: a client that stops reading
//! is cut off once [`MAX_OUTGOING_BYTES`] are waiting, instead of the server holding its backlog.
//! Frames are shared (`Arc<str>`): an event queued for many connections is stored once.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Bytes of messages one connection may have waiting before it is closed as too slow.
pub const MAX_OUTGOING_BYTES: usize = 4 * 1024 * 1024;

pub type Frame = Arc<str>;

/// Why a frame was not queued.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The connection is closed, or closing.
    Closed,
    /// The client fell more than the byte bound behind; the connection is being closed.
    TooSlow,
}

/// The sending side; cheap to clone (one per subscription task).
#[derive(Clone)]
pub struct Outgoing {
    frames: mpsc::UnboundedSender<Frame>,
    queued: Arc<AtomicUsize>,
    max_bytes: usize,
    too_slow: CancellationToken,
}

/// The writer's side: frames in order, and the bytes they held once sent.
pub struct Queue {
    frames: mpsc::UnboundedReceiver<Frame>,
    queued: Arc<AtomicUsize>,
    pub too_slow: CancellationToken,
}

pub fn queue(max_bytes: usize) -> (Outgoing, Queue) {
    // Unbounded in messages, bounded in bytes: `Outgoing::send` counts every frame's length in
    // `queued` before it enters the channel and refuses it past `max_bytes`; the writer takes the
    // length off once the frame has gone to the socket. A message count would bound nothing
    // (one frame can be megabytes); the byte count bounds what a client that stops reading costs.
    let (tx, rx) = mpsc::unbounded_channel();
    let queued = Arc::new(AtomicUsize::new(0));
    let too_slow = CancellationToken::new();
    let outgoing = Outgoing {
        frames: tx,
        queued: queued.clone(),
        max_bytes,
        too_slow: too_slow.clone(),
    };
    let queue = Queue {
        frames: rx,
        queued,
        too_slow,
    };
    (outgoing, queue)
}

impl Outgoing {
    /// Queues a frame, or marks the connection too slow when the bound would be passed.
    pub fn send(&self, frame: Frame) -> Result<(), Refused> {
        if self.too_slow.is_cancelled() {
            return Err(Refused::TooSlow);
        }
        let len = frame.len();
        let before = self.queued.fetch_add(len, Ordering::SeqCst);
        if before + len > self.max_bytes {
            self.queued.fetch_sub(len, Ordering::SeqCst);
            self.too_slow.cancel();
            return Err(Refused::TooSlow);
        }
        self.frames.send(frame).map_err(|_| Refused::Closed)
    }
}

impl Queue {
    /// The next frame; `None` when every sender is gone.
    pub async fn next(&mut self) -> Option<Frame> {
        self.frames.recv().await
    }

    /// Call once a frame from [`Queue::next`] has been written.
    pub fn sent(&self, frame: &Frame) {
        self.queued.fetch_sub(frame.len(), Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_backlog_past_the_byte_bound_is_refused_and_marks_the_connection() {
        let (outgoing, mut queue) = queue(10);
        assert_eq!(outgoing.send("12345".into()), Ok(()));
        assert_eq!(outgoing.send("6789".into()), Ok(()));
        assert_eq!(outgoing.send("ab".into()), Err(Refused::TooSlow));
        assert!(queue.too_slow.is_cancelled());
        // Once too slow, always too slow, even after the writer catches up.
        let frame = queue.next().await.unwrap();
        queue.sent(&frame);
        assert_eq!(outgoing.send("a".into()), Err(Refused::TooSlow));
    }

    #[tokio::test]
    async fn sent_frames_free_their_bytes() {
        let (outgoing, mut queue) = queue(10);
        for _ in 0..10 {
            outgoing.send("12345678".into()).unwrap();
            let frame = queue.next().await.unwrap();
            queue.sent(&frame);
        }
        assert!(!queue.too_slow.is_cancelled());
    }
}

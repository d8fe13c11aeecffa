//! Talking to a running program from other threads: stdin, end of stdin, cancel.
//!
//! A [`Controller`] queues messages and wakes the supervisor through a pipe it polls, so a
//! message is acted on at once even while the program prints nothing.

use std::{
    os::fd::{AsRawFd, OwnedFd},
    sync::{
        Arc,
        mpsc::{self, Receiver, Sender},
    },
};

use crate::sys;

#[derive(Debug)]
pub(crate) enum Message {
    Stdin(Vec<u8>),
    CloseStdin,
    Cancel,
}

/// Sends stdin, end of stdin and cancellation to one run. Cheap to clone; usable from any thread.
#[derive(Clone, Debug)]
pub struct Controller {
    tx: Sender<Message>,
    waker: Arc<OwnedFd>,
}

/// The run's end of a [`controller`] pair; hand it to [`crate::Prepared::run`].
#[derive(Debug)]
pub struct ControlReceiver {
    pub(crate) rx: Receiver<Message>,
    pub(crate) waker: OwnedFd,
}

/// A connected controller and receiver. Messages sent before the run starts are kept.
pub fn controller() -> (Controller, ControlReceiver) {
    let (tx, rx) = mpsc::channel();
    let (read, write) = sys::pipe().expect("a pipe can be created (fd limit exhausted?)");
    for fd in [&read, &write] {
        sys::set_nonblocking(fd.as_raw_fd()).expect("O_NONBLOCK on a fresh pipe");
    }
    (
        Controller {
            tx,
            waker: Arc::new(write),
        },
        ControlReceiver { rx, waker: read },
    )
}

impl Controller {
    fn send(&self, message: Message) {
        // A run that has finished dropped its receiver; late messages are meaningless then.
        if self.tx.send(message).is_ok() {
            // A full pipe already holds a wake-up, so EAGAIN is fine to ignore.
            let _ = sys::write(self.waker.as_raw_fd(), b"!");
        }
    }

    /// Appends to the program's stdin (ignored once stdin is closed or the run has ended).
    pub fn write_stdin(&self, data: Vec<u8>) {
        self.send(Message::Stdin(data));
    }

    /// Closes the program's stdin after what was written so far (the program sees EOF).
    pub fn close_stdin(&self) {
        self.send(Message::CloseStdin);
    }

    /// Stops the run: its status becomes `Cancelled`.
    pub fn cancel(&self) {
        self.send(Message::Cancel);
    }
}

impl ControlReceiver {
    /// Empties the wake-up pipe and returns the queued messages.
    pub(crate) fn drain(&self) -> Vec<Message> {
        let mut buf = [0u8; 64];
        while let Ok(Some(n)) = sys::read(self.waker.as_raw_fd(), &mut buf) {
            if n == 0 {
                break;
            }
        }
        self.rx.try_iter().collect()
    }
}

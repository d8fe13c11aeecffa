//! Talking to a running program from other threads: stdin, end of stdin, cancel.
//!
//! A [`Controller`] and the run share one small state: the stdin the program has not read yet,
//! bounded by [`MAX_PENDING_STDIN`], and two flags. A write that would go over the bound is
//! refused with [`StdinFull`], never buffered: the supervisor runs as root and hosts every
//! sandbox, so a program that does not read its stdin must not make it grow (security review
//! A2). A wake-up pipe the supervisor polls makes it act on a message at once, even while the
//! program prints nothing.

use std::{
    os::fd::{AsRawFd, OwnedFd},
    sync::{Arc, Condvar, Mutex, MutexGuard},
};

use crate::sys;

/// The most stdin that may wait for a program to read it (written by controllers, not yet in
/// the program's pipe), per run. The same as the API's limit on stdin given up front.
pub const MAX_PENDING_STDIN: usize = 1024 * 1024;

/// A stdin write refused because the program has not read what it was already sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "stdin refused: {pending} bytes are still waiting for the program to read them, and {written} \
     more would exceed the limit of {} KiB",
    MAX_PENDING_STDIN / 1024
)]
pub struct StdinFull {
    /// Bytes already waiting.
    pub pending: usize,
    /// Bytes of the refused write.
    pub written: usize,
}

#[derive(Default)]
struct State {
    stdin: Vec<u8>,
    close_stdin: bool,
    cancel: bool,
    /// The program's stdin is closed or the run is over: stdin written now is dropped.
    stdin_closed: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when pending stdin shrinks or stdin closes (for [`Controller::write_stdin_waiting`]).
    room: Condvar,
    waker: OwnedFd,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wake(&self) {
        // A full pipe already holds a wake-up, so EAGAIN is fine to ignore.
        let _ = sys::write(self.waker.as_raw_fd(), b"!");
    }
}

/// Sends stdin, end of stdin and cancellation to one run. Cheap to clone; usable from any thread.
#[derive(Clone)]
pub struct Controller {
    shared: Arc<Shared>,
}

/// The run's end of a [`controller`] pair; hand it to [`crate::Prepared::run`].
pub struct ControlReceiver {
    shared: Arc<Shared>,
    pub(crate) waker: OwnedFd,
}

impl std::fmt::Debug for Controller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Controller").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ControlReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ControlReceiver").finish_non_exhaustive()
    }
}

/// A connected controller and receiver. What is sent before the run starts is kept.
pub fn controller() -> (Controller, ControlReceiver) {
    let (read, write) = sys::pipe().expect("a pipe can be created (fd limit exhausted?)");
    for fd in [&read, &write] {
        sys::set_nonblocking(fd.as_raw_fd()).expect("O_NONBLOCK on a fresh pipe");
    }
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        room: Condvar::new(),
        waker: write,
    });
    (
        Controller {
            shared: Arc::clone(&shared),
        },
        ControlReceiver {
            shared,
            waker: read,
        },
    )
}

impl Controller {
    /// Appends to the program's stdin. Refused with [`StdinFull`] (and nothing of `data` kept)
    /// when more than [`MAX_PENDING_STDIN`] bytes would be waiting for the program to read
    /// them. Dropped silently once stdin is closed or the run has ended.
    pub fn write_stdin(&self, data: Vec<u8>) -> Result<(), StdinFull> {
        let mut state = self.shared.lock();
        if state.stdin_closed || data.is_empty() {
            return Ok(());
        }
        let pending = state.stdin.len();
        if pending + data.len() > MAX_PENDING_STDIN {
            return Err(StdinFull {
                pending,
                written: data.len(),
            });
        }
        state.stdin.extend_from_slice(&data);
        drop(state);
        self.shared.wake();
        Ok(())
    }

    /// Appends to the program's stdin, waiting while [`MAX_PENDING_STDIN`] bytes are already
    /// waiting for the program to read them (back-pressure, for a local pipe such as
    /// `code-remote run`'s own stdin). Returns at once when stdin is closed or the run has ended.
    /// Blocks the calling thread: not for async tasks.
    pub fn write_stdin_waiting(&self, data: &[u8]) {
        for chunk in data.chunks(MAX_PENDING_STDIN) {
            let mut state = self.shared.lock();
            while !state.stdin_closed && state.stdin.len() + chunk.len() > MAX_PENDING_STDIN {
                state = self
                    .shared
                    .room
                    .wait(state)
                    .unwrap_or_else(|e| e.into_inner());
            }
            if state.stdin_closed {
                return;
            }
            state.stdin.extend_from_slice(chunk);
            drop(state);
            self.shared.wake();
        }
    }

    /// Closes the program's stdin after what was written so far (the program sees EOF).
    pub fn close_stdin(&self) {
        self.shared.lock().close_stdin = true;
        self.shared.wake();
    }

    /// Stops the run: its status becomes `Cancelled`.
    pub fn cancel(&self) {
        self.shared.lock().cancel = true;
        self.shared.wake();
    }
}

/// What the controllers asked for since the supervisor last looked.
pub(crate) struct Requests {
    pub close_stdin: bool,
    pub cancel: bool,
}

/// How writing pending stdin into the program's pipe went.
pub(crate) enum Flushed {
    /// Everything pending is in the pipe.
    All,
    /// The pipe is full; the rest waits for the program to read.
    Partly,
    /// The program closed its stdin (EPIPE): what is left cannot be delivered.
    Closed,
}

impl ControlReceiver {
    /// Empties the wake-up pipe and returns the flags set so far.
    pub(crate) fn requests(&self) -> Requests {
        let mut buf = [0u8; 64];
        while let Ok(Some(n)) = sys::read(self.waker.as_raw_fd(), &mut buf) {
            if n == 0 {
                break;
            }
        }
        let state = self.shared.lock();
        Requests {
            close_stdin: state.close_stdin,
            cancel: state.cancel,
        }
    }

    pub(crate) fn has_stdin(&self) -> bool {
        !self.shared.lock().stdin.is_empty()
    }

    /// Writes pending stdin into `fd` (non-blocking) until it is written or the pipe is full.
    pub(crate) fn flush_stdin(&self, fd: &OwnedFd) -> Flushed {
        let mut state = self.shared.lock();
        while !state.stdin.is_empty() {
            match sys::write(fd.as_raw_fd(), &state.stdin) {
                // The pipe is full (EAGAIN) or the write was interrupted.
                Ok(0) => return Flushed::Partly,
                Ok(n) => {
                    state.stdin.drain(..n);
                    self.shared.room.notify_all();
                }
                Err(_) => return Flushed::Closed,
            }
        }
        Flushed::All
    }

    /// From now on stdin is dropped instead of kept: the program will never read it.
    pub(crate) fn close_stdin(&self) {
        let mut state = self.shared.lock();
        state.stdin_closed = true;
        state.stdin = Vec::new();
        self.shared.room.notify_all();
    }
}

impl Drop for ControlReceiver {
    fn drop(&mut self) {
        self.close_stdin();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdin_beyond_the_limit_is_refused_and_nothing_of_it_is_kept() {
        let (control, receiver) = controller();
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..MAX_PENDING_STDIN / chunk.len() {
            control
                .write_stdin(chunk.clone())
                .expect("within the limit");
        }
        assert_eq!(
            control.write_stdin(b"y".to_vec()),
            Err(StdinFull {
                pending: MAX_PENDING_STDIN,
                written: 1
            })
        );
        assert_eq!(receiver.shared.lock().stdin.len(), MAX_PENDING_STDIN);
        // Cancel and end of stdin still get through when stdin is full.
        control.close_stdin();
        control.cancel();
        let requests = receiver.requests();
        assert!(requests.close_stdin && requests.cancel);
    }

    #[test]
    fn stdin_written_after_the_run_is_over_is_dropped() {
        let (control, receiver) = controller();
        drop(receiver);
        for _ in 0..3 {
            assert_eq!(control.write_stdin(vec![0; MAX_PENDING_STDIN]), Ok(()));
        }
        assert!(control.shared.lock().stdin.is_empty());
    }

    #[test]
    fn a_waiting_writer_is_released_when_the_run_ends() {
        let (control, receiver) = controller();
        control
            .write_stdin(vec![0; MAX_PENDING_STDIN])
            .expect("fits");
        let writer = std::thread::spawn(move || control.write_stdin_waiting(b"more"));
        drop(receiver);
        writer
            .join()
            .expect("the writer returns instead of waiting forever");
    }
}

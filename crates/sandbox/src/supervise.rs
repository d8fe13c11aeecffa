//! The supervision loop of one run: output pumped live and capped, stdin fed, control messages
//! obeyed, the wall clock enforced, and the launcher reaped.
//!
//! Everything is driven by one `poll` over the output pipes, the stdin pipe, the controller's
//! wake-up pipe and a pidfd of the launcher, so no extra thread is needed per run.

use std::{
    os::fd::{AsRawFd, OwnedFd},
    time::{Duration, Instant},
};

use crate::{
    ControlReceiver, Program, Result, Stream,
    cgroup::SlotCgroup,
    control::Flushed,
    launch::Launcher,
    sys::{self, Reaped},
};

/// After the launcher exits, how long its output pipes may take to reach end-of-file.
const DRAIN_DEADLINE: Duration = Duration::from_secs(1);
const READ_CHUNK: usize = 64 * 1024;
/// After a kill, how long the launcher may take to reap the sandbox before it is killed too.
const KILL_GRACE: Duration = Duration::from_secs(2);
/// How long a released sandbox may take to start the program (bwrap's set-up and Python's start
/// when the sandbox was not prepared ahead) before the wall clock starts anyway.
const START_ALLOWANCE: Duration = Duration::from_secs(10);

/// Why the supervisor stopped the program (none: it ended by itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Cancelled,
    OutputExceeded(Stream),
    TimedOut,
}

/// Everything the supervisor saw.
pub struct Ended {
    pub reason: Option<Reason>,
    pub reaped: Reaped,
    pub stdout: Captured,
    pub stderr: Captured,
    pub wall_time: Duration,
}

#[derive(Default)]
pub struct Captured {
    pub bytes: Vec<u8>,
    pub truncated: bool,
}

pub struct Run<'a> {
    pub child: &'a mut Launcher,
    pub stdin: OwnedFd,
    pub stdout: OwnedFd,
    pub stderr: OwnedFd,
    pub program: &'a Program,
    pub control: Option<ControlReceiver>,
    pub cgroup: Option<&'a SlotCgroup>,
    /// When the code was released to the bootstrap.
    pub released_at: Instant,
    /// Becomes readable when the program starts; the wall clock starts then.
    pub ready: OwnedFd,
    pub on_output: &'a mut dyn FnMut(Stream, &[u8]),
}

struct Pipe {
    stream: Stream,
    fd: Option<OwnedFd>,
    captured: Captured,
}

impl Pipe {
    /// Keeps what fits under `cap`; true when `data` went over it.
    fn accept(&mut self, data: &[u8], cap: u64, on_output: &mut dyn FnMut(Stream, &[u8])) -> bool {
        let room = (cap as usize).saturating_sub(self.captured.bytes.len());
        let take = room.min(data.len());
        if take > 0 {
            on_output(self.stream, &data[..take]);
            self.captured.bytes.extend_from_slice(&data[..take]);
        }
        if data.len() > room {
            self.captured.truncated = true;
        }
        data.len() > room
    }
}

/// The program's stdin: what the program was given up front, then what controllers send.
struct Stdin<'a> {
    fd: Option<OwnedFd>,
    pending: Vec<u8>,
    control: Option<&'a ControlReceiver>,
    close_when_written: bool,
}

impl Stdin<'_> {
    fn has_pending(&self) -> bool {
        !self.pending.is_empty() || self.control.is_some_and(|c| c.has_stdin())
    }

    fn flush(&mut self) {
        let Some(fd) = &self.fd else { return };
        while !self.pending.is_empty() {
            match sys::write(fd.as_raw_fd(), &self.pending) {
                Ok(0) => return,
                Ok(n) => {
                    self.pending.drain(..n);
                }
                // EPIPE: the program closed its stdin; what is left cannot be delivered.
                Err(_) => return self.close(),
            }
        }
        if let Some(control) = self.control {
            match control.flush_stdin(fd) {
                Flushed::All => {}
                Flushed::Partly => return,
                Flushed::Closed => return self.close(),
            }
        }
        if self.close_when_written {
            self.close();
        }
    }

    /// Closes the pipe; stdin still pending or sent later is dropped, never kept.
    fn close(&mut self) {
        self.fd = None;
        self.pending = Vec::new();
        if let Some(control) = self.control {
            control.close_stdin();
        }
    }
}

fn kill(cgroup: Option<&SlotCgroup>, pid: i32) {
    match cgroup {
        Some(cg) => cg.kill_all(Some(pid)),
        // Without cgroups: the launcher leads a process group with bwrap's monitor; bwrap's
        // PID 1 dies with the monitor (--die-with-parent), and the kernel then kills
        // everything in the PID namespace.
        None => sys::kill(-pid, libc::SIGKILL),
    }
}

pub fn supervise(run: Run<'_>) -> Result<Ended> {
    let Run {
        child,
        stdin,
        stdout,
        stderr,
        program,
        control,
        cgroup,
        released_at,
        ready,
        on_output,
    } = run;
    let pid = child.id() as i32;
    let pidfd = sys::pidfd_open(pid)?;
    let limits = &program.limits;
    // Until the program starts, the sandbox may still be setting up; then the clock starts.
    let mut deadline = released_at + START_ALLOWANCE + limits.wall_time;
    let mut ready = Some(ready);
    let mut started_at: Option<Instant> = None;
    let cap = limits.output_bytes_per_stream;
    let mut pipes = [
        Pipe {
            stream: Stream::Stdout,
            fd: Some(stdout),
            captured: Captured::default(),
        },
        Pipe {
            stream: Stream::Stderr,
            fd: Some(stderr),
            captured: Captured::default(),
        },
    ];
    let mut stdin = Stdin {
        fd: Some(stdin),
        pending: program.stdin.clone(),
        control: control.as_ref(),
        close_when_written: !program.interactive_stdin,
    };
    stdin.flush();
    let mut reason: Option<Reason> = None;
    let mut reaped: Option<(Reaped, Instant)> = None;
    let mut killed_at: Option<Instant> = None;
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        let now = Instant::now();
        if let Some((_, at)) = &reaped {
            if pipes.iter().all(|p| p.fd.is_none()) || now >= *at + DRAIN_DEADLINE {
                break;
            }
        } else if reason.is_none() && now >= deadline {
            reason = Some(Reason::TimedOut);
            kill(cgroup, pid);
        } else if killed_at.is_some_and(|at| now >= at + KILL_GRACE) {
            // The launcher did not finish reaping in time: take it down as well.
            killed_at = None;
            match cgroup {
                Some(cg) => cg.kill_all(None),
                None => sys::kill(pid, libc::SIGKILL),
            }
        }
        if reason.is_some() && killed_at.is_none() && reaped.is_none() {
            killed_at = Some(now);
        }
        // Slots: 0 pidfd, 1 stdout, 2 stderr, 3 stdin, 4 control, 5 ready.
        let mut fds = [libc::pollfd {
            fd: -1,
            events: 0,
            revents: 0,
        }; 6];
        if let Some(fd) = &ready {
            fds[5] = libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
        }
        if reaped.is_none() {
            fds[0] = libc::pollfd {
                fd: pidfd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
        }
        for (i, pipe) in pipes.iter().enumerate() {
            if let Some(fd) = &pipe.fd {
                fds[1 + i] = libc::pollfd {
                    fd: fd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
            }
        }
        if let (Some(fd), true) = (&stdin.fd, stdin.has_pending()) {
            fds[3] = libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLOUT,
                revents: 0,
            };
        }
        if let Some(control) = &control {
            fds[4] = libc::pollfd {
                fd: control.waker.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
        }
        let timeout = match &reaped {
            Some((_, at)) => (*at + DRAIN_DEADLINE).saturating_duration_since(now),
            None if reason.is_none() => deadline.saturating_duration_since(now),
            None => Duration::from_millis(50),
        };
        sys::poll(&mut fds, Some(timeout))?;
        for (i, pipe) in pipes.iter_mut().enumerate() {
            if fds[1 + i].revents == 0 {
                continue;
            }
            let Some(fd) = pipe.fd.as_ref().map(|f| f.as_raw_fd()) else {
                continue;
            };
            for _ in 0..16 {
                match sys::read(fd, &mut buf) {
                    Ok(Some(0)) | Err(_) => {
                        pipe.fd = None;
                        break;
                    }
                    Ok(Some(n)) => {
                        if pipe.accept(&buf[..n], cap, on_output) && reason.is_none() {
                            reason = Some(Reason::OutputExceeded(pipe.stream));
                            kill(cgroup, pid);
                        }
                    }
                    Ok(None) => break,
                }
            }
        }
        if fds[3].revents != 0 {
            stdin.flush();
        }
        if fds[4].revents != 0
            && let Some(control) = &control
        {
            let requests = control.requests();
            if requests.close_stdin {
                stdin.close_when_written = true;
            }
            if requests.cancel && reason.is_none() && reaped.is_none() {
                reason = Some(Reason::Cancelled);
                kill(cgroup, pid);
            }
            stdin.flush();
        }
        if fds[5].revents != 0 {
            // One byte (or end-of-file if the bootstrap died first): the program starts now.
            ready = None;
            let now = Instant::now();
            started_at = Some(now);
            deadline = now + limits.wall_time;
        }
        if fds[0].revents != 0 {
            reaped = Some((sys::wait(pid)?, Instant::now()));
            // Output still buffered in the pipes is read before the end.
            stdin.close();
        }
    }
    let (reaped, exited_at) = reaped.expect("the loop only ends after the launcher was reaped");
    let wall_time = exited_at.duration_since(started_at.unwrap_or(released_at));
    let [stdout, stderr] = pipes;
    Ok(Ended {
        reason,
        reaped,
        stdout: stdout.captured,
        stderr: stderr.captured,
        wall_time,
    })
}

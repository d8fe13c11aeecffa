//! What to run ([`Program`]) and how it ended ([`Outcome`]).

use std::time::Duration;

use crate::{Artifacts, Limits};

/// An output stream of the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One program to run.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// The source of `main.py`.
    pub code: Vec<u8>,
    /// Stdin given up front; written first.
    pub stdin: Vec<u8>,
    /// Keep stdin open after `stdin` for [`crate::Controller::write_stdin`] until
    /// [`crate::Controller::close_stdin`]; otherwise it is closed once `stdin` is written.
    pub interactive_stdin: bool,
    pub limits: Limits,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Exit status 0.
    Succeeded,
    /// Non-zero exit status or a fatal signal (including a forbidden system call).
    Failed,
    TimedOut,
    MemoryExceeded,
    OutputExceeded,
    Cancelled,
}

impl Status {
    /// The wire name of DESIGN.md (`succeeded`, `timed_out`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::TimedOut => "timed_out",
            Status::MemoryExceeded => "memory_exceeded",
            Status::OutputExceeded => "output_exceeded",
            Status::Cancelled => "cancelled",
        }
    }
}

/// The result of one run, from the supervisor's own measurements.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub status: Status,
    /// The exit status, when the program exited by itself.
    pub exit_code: Option<i32>,
    /// The fatal signal, when the program was killed.
    pub signal: Option<i32>,
    /// In words, what happened when it was not plain success.
    pub message: Option<String>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
    /// From the start of the program (after the sandbox's own start-up) to its end.
    pub wall_time: Duration,
    pub cpu_time: Duration,
    pub peak_memory_bytes: u64,
    /// Files the program left in `/box/out/` (figures included), collected after it stopped.
    pub artifacts: Artifacts,
}

/// A signal's conventional name, for messages.
pub(crate) fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGILL => "SIGILL",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGALRM => "SIGALRM",
        libc::SIGTERM => "SIGTERM",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        libc::SIGSYS => "SIGSYS",
        _ => return format!("signal {signal}"),
    };
    name.to_string()
}

/// Binary units for messages: "256 MiB", "64 KiB", "100 bytes".
pub(crate) fn human_bytes(bytes: u64) -> String {
    const KIB: u64 = 1024;
    if bytes >= KIB * KIB && bytes.is_multiple_of(KIB * KIB) {
        format!("{} MiB", bytes / (KIB * KIB))
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Seconds for messages: "30 s", "2.5 s".
pub(crate) fn human_seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs.fract() == 0.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_times_read_as_words() {
        assert_eq!(human_bytes(256 * 1024 * 1024), "256 MiB");
        assert_eq!(human_bytes(64 * 1024), "64 KiB");
        assert_eq!(human_bytes(100), "100 bytes");
        assert_eq!(human_seconds(Duration::from_secs(30)), "30 s");
        assert_eq!(human_seconds(Duration::from_millis(2500)), "2.5 s");
        assert_eq!(signal_name(libc::SIGSYS), "SIGSYS");
    }
}

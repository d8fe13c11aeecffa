//! Turning what the supervisor measured into an [`Outcome`]: status, exit code or signal, and a
//! message in words. Nothing here looks at what the program printed.

use std::time::Duration;

use crate::{
    Limits, Outcome, Status, Stream,
    outcome::{human_bytes, human_seconds, signal_name},
    supervise::{Ended, Reason},
};

/// Counters read from the slot's cgroup (`None` without cgroups).
pub struct Measured {
    pub oom_kills: u64,
    pub cpu_time: Option<Duration>,
    pub peak_memory: Option<u64>,
}

/// The program's exit: `(exit_code, signal)`.
///
/// bwrap reports a child killed by signal N as exit status 128+N, so that range is read as a
/// signal. A program calling `exit(128+N)` itself is indistinguishable (documented).
fn decode(status: i32) -> (Option<i32>, Option<i32>) {
    if libc::WIFSIGNALED(status) {
        return (None, Some(libc::WTERMSIG(status)));
    }
    let code = libc::WEXITSTATUS(status);
    if code > 128 && code - 128 < 65 {
        (None, Some(code - 128))
    } else {
        (Some(code), None)
    }
}

fn stream_name(stream: Stream) -> &'static str {
    match stream {
        Stream::Stdout => "stdout",
        Stream::Stderr => "stderr",
    }
}

pub fn outcome(ended: Ended, measured: Measured, limits: &Limits) -> Outcome {
    let (exit_code, signal) = decode(ended.reaped.status);
    let (status, message) = match ended.reason {
        Some(Reason::Cancelled) => (Status::Cancelled, "cancelled".to_string()),
        Some(Reason::OutputExceeded(stream)) => (
            Status::OutputExceeded,
            format!(
                "killed: output limit of {} on {} exceeded",
                human_bytes(limits.output_bytes_per_stream),
                stream_name(stream)
            ),
        ),
        Some(Reason::TimedOut) => (
            Status::TimedOut,
            format!(
                "killed: time limit of {} exceeded",
                human_seconds(limits.wall_time)
            ),
        ),
        None if measured.oom_kills > 0 && exit_code != Some(0) => (
            Status::MemoryExceeded,
            format!(
                "killed: memory limit of {} exceeded",
                human_bytes(limits.memory_bytes)
            ),
        ),
        None => match (exit_code, signal) {
            (Some(0), _) => (Status::Succeeded, String::new()),
            (_, Some(libc::SIGSYS)) => {
                (Status::Failed, "stopped: forbidden system call".to_string())
            }
            (_, Some(sig)) => (
                Status::Failed,
                format!("killed by signal {}", signal_name(sig)),
            ),
            (Some(code), None) => (Status::Failed, format!("exited with status {code}")),
            (None, None) => (Status::Failed, "ended without an exit status".to_string()),
        },
    };
    let usage = &ended.reaped.usage;
    let rusage_cpu = Duration::from_secs((usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) as u64)
        + Duration::from_micros((usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) as u64);
    // Killed runs report the signal the supervisor used, not a made-up exit code.
    let killed = ended.reason.is_some();
    Outcome {
        status,
        exit_code: if killed { None } else { exit_code },
        signal: if killed { Some(libc::SIGKILL) } else { signal },
        message: (!message.is_empty()).then_some(message),
        stdout: ended.stdout.bytes,
        stderr: ended.stderr.bytes,
        stdout_truncated: ended.stdout.truncated,
        stderr_truncated: ended.stderr.truncated,
        wall_time: ended.wall_time,
        cpu_time: measured.cpu_time.unwrap_or(rusage_cpu),
        peak_memory_bytes: measured
            .peak_memory
            .unwrap_or(usage.ru_maxrss as u64 * 1024),
        artifacts: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bwrap_exit_statuses_decode_into_codes_and_signals() {
        assert_eq!(decode(0), (Some(0), None));
        assert_eq!(decode(3 << 8), (Some(3), None));
        assert_eq!(
            decode((128 + libc::SIGSYS) << 8),
            (None, Some(libc::SIGSYS))
        );
        assert_eq!(decode(libc::SIGKILL), (None, Some(libc::SIGKILL)));
    }
}

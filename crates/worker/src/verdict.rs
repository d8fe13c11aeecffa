//! Translation between the platform's types and the sandbox's: limits in, outcome out.

use std::time::Duration;

use code_remote_core::{JobStatus, Limits, Outcome};
use code_remote_sandbox as sandbox;

const MIB: u64 = 1024 * 1024;

/// The sandbox limits for a job's limits.
pub fn sandbox_limits(limits: &Limits) -> sandbox::Limits {
    sandbox::Limits {
        wall_time: Duration::from_millis(limits.time_limit_ms),
        cpu_cores: limits.cpu_cores,
        memory_bytes: limits.memory_limit_mib * MIB,
        max_processes: limits.max_processes,
        max_open_files: limits.max_open_files,
        max_file_size_bytes: limits.max_file_size_mib * MIB,
        disk_bytes: limits.disk_limit_mib * MIB,
        output_bytes_per_stream: limits.output_limit_kib * 1024,
    }
}

pub(crate) fn job_status(status: sandbox::Status) -> JobStatus {
    match status {
        sandbox::Status::Succeeded => JobStatus::Succeeded,
        sandbox::Status::Failed => JobStatus::Failed,
        sandbox::Status::TimedOut => JobStatus::TimedOut,
        sandbox::Status::MemoryExceeded => JobStatus::MemoryExceeded,
        sandbox::Status::OutputExceeded => JobStatus::OutputExceeded,
        sandbox::Status::Cancelled => JobStatus::Cancelled,
    }
}

/// The stored outcome of a finished run. Output is decoded as UTF-8, invalid bytes replaced.
pub(crate) fn outcome(run: &sandbox::Outcome) -> Outcome {
    Outcome {
        exit_code: run.exit_code,
        signal: run.signal,
        message: run.message.clone(),
        stdout: String::from_utf8_lossy(&run.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&run.stderr).into_owned(),
        stdout_truncated: run.stdout_truncated,
        stderr_truncated: run.stderr_truncated,
        wall_time_ms: run.wall_time.as_millis() as u64,
        cpu_time_ms: run.cpu_time.as_millis() as u64,
        peak_memory_kib: run.peak_memory_bytes / 1024,
    }
}

/// The outcome recorded when the platform, not the program, failed.
pub(crate) fn internal_failure(message: String) -> Outcome {
    Outcome {
        message: Some(message),
        ..Outcome::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_converted_to_bytes_and_durations() {
        let limits = sandbox_limits(&Limits::default());
        assert_eq!(limits.wall_time, Duration::from_secs(30));
        assert_eq!(limits.memory_bytes, 256 * MIB);
        assert_eq!(limits.max_processes, 64);
        assert_eq!(limits.max_file_size_bytes, 32 * MIB);
        assert_eq!(limits.disk_bytes, 64 * MIB);
        assert_eq!(limits.output_bytes_per_stream, MIB);
    }
}

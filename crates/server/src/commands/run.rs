//! `code-remote run FILE.py`: one program in the sandbox, no server. Prints the program's output
//! as it arrives (or, with --json, the execution object of the API) and exits with a status
//! that reflects the outcome.

use std::{
    io::{Read, Write},
    path::PathBuf,
    process::ExitCode,
};

use anyhow::Context;
use chrono::Utc;
use code_remote_core::{JobId, JobStatus, MAX_CODE_BYTES, MAX_STDIN_BYTES};
use code_remote_sandbox::{Outcome, Program, Sandbox, Status, Stream};
use serde_json::json;

use code_remote_worker::sandbox_limits;

use super::sandbox_args::SandboxArgs;

/// Exit statuses of `run` itself (a program's own non-zero exit status passes through).
mod exit {
    pub const USAGE: u8 = 2;
    pub const TIMED_OUT: u8 = 124;
    pub const MEMORY_EXCEEDED: u8 = 125;
    pub const OUTPUT_EXCEEDED: u8 = 126;
    pub const CANCELLED: u8 = 130;
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 when the program succeeds; the program's own exit status when it \
fails (128+N when killed by signal N, e.g. 159 for a forbidden system call); 124 when the time limit \
was exceeded; 125 memory limit; 126 output limit; 130 cancelled; 2 bad arguments or unreadable files; \
1 when the sandbox cannot run here (see `code-remote doctor`). With --json the status is also in the \
printed object."
)]
pub struct RunArgs {
    /// The Python program to run.
    pub file: PathBuf,
    /// A file whose content is the program's stdin, given up front (`-` reads all of this
    /// process's stdin first). Without it the program reads this process's stdin as it arrives.
    #[arg(long, value_name = "FILE")]
    pub stdin: Option<PathBuf>,
    /// Wall-clock limit in seconds [default: 30].
    #[arg(long, value_name = "SECS", env = "CODE_REMOTE_TIME_LIMIT")]
    pub time_limit: Option<f64>,
    /// Memory limit in MiB, including files the program writes [default: 256].
    #[arg(long, value_name = "MIB", env = "CODE_REMOTE_MEMORY_LIMIT")]
    pub memory_limit: Option<u64>,
    /// Print the execution object (JSON) instead of the program's output.
    #[arg(long)]
    pub json: bool,
    /// Write the files the program leaves in /box/out (and its open matplotlib figures) here;
    /// created if missing, same-named files replaced.
    #[arg(long, value_name = "DIR")]
    pub artifacts_dir: Option<PathBuf>,
    #[command(flatten)]
    pub sandbox: SandboxArgs,
}

fn usage(message: String) -> anyhow::Result<ExitCode> {
    eprintln!("error: {message}");
    Ok(ExitCode::from(exit::USAGE))
}

fn read_limited(path: &PathBuf, max: usize, what: &str) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(path)
                .map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?,
        )
    };
    reader
        .take(max as u64 + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?;
    if data.len() > max {
        return Err(format!(
            "{what} {} is larger than {} KiB",
            path.display(),
            max / 1024
        ));
    }
    Ok(data)
}

pub fn execute(args: RunArgs) -> anyhow::Result<ExitCode> {
    let code = match read_limited(&args.file, MAX_CODE_BYTES, "program") {
        Ok(code) => code,
        Err(message) => return usage(message),
    };
    let stdin = match &args.stdin {
        Some(path) => match read_limited(path, MAX_STDIN_BYTES, "stdin file") {
            Ok(data) => data,
            Err(message) => return usage(message),
        },
        None => Vec::new(),
    };
    let mut limits = code_remote_core::Limits::default();
    if let Some(secs) = args.time_limit {
        if !(0.1..=86_400.0).contains(&secs) {
            return usage(format!(
                "--time-limit must be between 0.1 and 86400 seconds, not {secs}"
            ));
        }
        limits.time_limit_ms = (secs * 1000.0).round() as u64;
    }
    if let Some(mib) = args.memory_limit {
        if !(16..=1024 * 1024).contains(&mib) {
            return usage(format!(
                "--memory-limit must be between 16 and 1048576 MiB, not {mib}"
            ));
        }
        limits.memory_limit_mib = mib;
    }
    let created_at = Utc::now();
    // One run: a warm pool would only start a sandbox nobody uses. What the last `run` with
    // the same binaries and configuration probed is reused (`doctor` probes for real).
    let config = code_remote_sandbox::SandboxConfig {
        warm: 0,
        slots: 1,
        reuse_probes: true,
        ..args.sandbox.to_config()
    };
    let sandbox = match Sandbox::new(config) {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::FAILURE);
        }
    };
    // Without --stdin the program reads this process's stdin as it arrives (like `python3 FILE`).
    let forward_stdin = args.stdin.is_none();
    let program = Program {
        code,
        stdin,
        interactive_stdin: forward_stdin,
        limits: sandbox_limits(&limits),
    };
    let (controller, control) = code_remote_sandbox::controller();
    if forward_stdin {
        forward(std::io::stdin(), controller);
    }
    let prepared = sandbox.prepare().context("preparing the sandbox")?;
    let started_at = Utc::now();
    let live = !args.json;
    let outcome = prepared
        .run(program, Some(control), &mut |stream, chunk| {
            if live {
                // A closed terminal or pipe must not stop the run; the result still counts.
                let _ = match stream {
                    Stream::Stdout => std::io::stdout()
                        .write_all(chunk)
                        .and_then(|()| std::io::stdout().flush()),
                    Stream::Stderr => std::io::stderr().write_all(chunk),
                };
            }
        })
        .context("running the program")?;
    let finished_at = Utc::now();
    let skipped = outcome.artifacts.skipped.clone();
    let artifacts: Vec<_> = outcome
        .artifacts
        .files
        .iter()
        .cloned()
        .map(code_remote_worker::describe_artifact)
        .collect();
    if let Some(dir) = &args.artifacts_dir
        && let Err(message) = write_artifacts(dir, &artifacts)
    {
        eprintln!("error: {message}");
        return Ok(ExitCode::FAILURE);
    }
    if args.json {
        let execution = json!({
            "id": JobId::new(),
            "status": job_status(outcome.status),
            "exit_code": outcome.exit_code,
            "signal": outcome.signal,
            "message": outcome.message,
            "stdout": String::from_utf8_lossy(&outcome.stdout),
            "stderr": String::from_utf8_lossy(&outcome.stderr),
            "stdout_truncated": outcome.stdout_truncated,
            "stderr_truncated": outcome.stderr_truncated,
            "wall_time_ms": outcome.wall_time.as_millis() as u64,
            "cpu_time_ms": outcome.cpu_time.as_millis() as u64,
            "peak_memory_kib": outcome.peak_memory_bytes / 1024,
            "limits": limits,
            "created_at": created_at,
            "started_at": started_at,
            "finished_at": finished_at,
            "artifacts": artifacts.iter().map(|a| &a.info).collect::<Vec<_>>(),
            "artifacts_skipped": skipped,
        });
        println!("{}", serde_json::to_string_pretty(&execution)?);
    } else {
        if let Some(message) = &outcome.message {
            eprintln!("code-remote: {message}");
        }
        report_artifacts(&artifacts, &skipped, args.artifacts_dir.as_deref());
    }
    Ok(ExitCode::from(exit_status(&outcome)))
}

/// Writes each artifact under its (sanitised) name into `dir`.
fn write_artifacts(
    dir: &std::path::Path,
    artifacts: &[code_remote_store::NewArtifact],
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for artifact in artifacts {
        let path = dir.join(&artifact.info.name);
        std::fs::write(&path, &artifact.data)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// One line per file on stderr, so the program's own output stays clean.
fn report_artifacts(
    artifacts: &[code_remote_store::NewArtifact],
    skipped: &[String],
    dir: Option<&std::path::Path>,
) {
    for artifact in artifacts {
        let place = dir.map_or_else(
            || "not kept: pass --artifacts-dir DIR".to_string(),
            |dir| dir.join(&artifact.info.name).display().to_string(),
        );
        eprintln!(
            "code-remote: artifact {} ({} bytes, {}): {place}",
            artifact.info.name, artifact.info.size_bytes, artifact.info.media_type
        );
    }
    for why in skipped {
        eprintln!("code-remote: artifact left out: {why}");
    }
}

/// Copies `input` to the program's stdin from a background thread, then closes it; it waits
/// while the program has a full buffer of stdin unread. The thread may stay blocked on a
/// terminal after the run; the process exits anyway.
fn forward(mut input: impl Read + Send + 'static, controller: code_remote_sandbox::Controller) {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match input.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => controller.write_stdin_waiting(&buf[..n]),
            }
        }
        controller.close_stdin();
    });
}

fn job_status(status: Status) -> JobStatus {
    match status {
        Status::Succeeded => JobStatus::Succeeded,
        Status::Failed => JobStatus::Failed,
        Status::TimedOut => JobStatus::TimedOut,
        Status::MemoryExceeded => JobStatus::MemoryExceeded,
        Status::OutputExceeded => JobStatus::OutputExceeded,
        Status::Cancelled => JobStatus::Cancelled,
    }
}

fn exit_status(outcome: &Outcome) -> u8 {
    match outcome.status {
        Status::Succeeded => 0,
        Status::TimedOut => exit::TIMED_OUT,
        Status::MemoryExceeded => exit::MEMORY_EXCEEDED,
        Status::OutputExceeded => exit::OUTPUT_EXCEEDED,
        Status::Cancelled => exit::CANCELLED,
        Status::Failed => match (outcome.exit_code, outcome.signal) {
            (Some(code), _) if code != 0 => (code & 0xff) as u8,
            (_, Some(signal)) => (128 + signal).clamp(129, 255) as u8,
            _ => 1,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn outcome(status: Status, exit_code: Option<i32>, signal: Option<i32>) -> Outcome {
        Outcome {
            status,
            exit_code,
            signal,
            message: None,
            stdout: Vec::new(),
            stderr: Vec::new(),
            stdout_truncated: false,
            stderr_truncated: false,
            wall_time: Duration::ZERO,
            cpu_time: Duration::ZERO,
            peak_memory_bytes: 0,
            artifacts: Default::default(),
        }
    }

    #[test]
    fn exit_statuses_tell_the_outcomes_apart() {
        assert_eq!(exit_status(&outcome(Status::Succeeded, Some(0), None)), 0);
        assert_eq!(exit_status(&outcome(Status::Failed, Some(3), None)), 3);
        assert_eq!(exit_status(&outcome(Status::Failed, None, Some(31))), 159);
        assert_eq!(exit_status(&outcome(Status::TimedOut, None, Some(9))), 124);
        assert_eq!(
            exit_status(&outcome(Status::MemoryExceeded, None, Some(9))),
            125
        );
        assert_eq!(
            exit_status(&outcome(Status::OutputExceeded, None, Some(9))),
            126
        );
        assert_eq!(exit_status(&outcome(Status::Cancelled, None, Some(9))), 130);
    }

    #[test]
    fn an_oversized_or_missing_program_is_refused_with_its_path() {
        let dir = std::env::temp_dir().join(format!("code-remote-run-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.py");
        std::fs::write(&big, vec![b'#'; 11]).unwrap();
        let err = read_limited(&big, 10, "program").unwrap_err();
        assert!(
            err.contains("big.py") && err.contains("larger than"),
            "{err}"
        );
        let err = read_limited(&dir.join("missing.py"), 10, "program").unwrap_err();
        assert!(err.contains("missing.py"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

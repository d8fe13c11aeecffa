//! `POST /execute`: check a Piston request, run it as the caller's execution, and answer with
//! Piston's stage object, `output` interleaving stdout and stderr in the order they arrived.

use std::time::Duration;

use axum::{body::Bytes, extract::State};
use base64::Engine;
use code_remote_core::{
    Execution, JobEvent, JobSpec, JobStatus, Limits, LimitsRequest, MAX_CODE_BYTES, MAX_STDIN_BYTES,
};
use serde_json::{Value, json};

use super::{PistonError, PistonUser, aliases};
use crate::{AppState, error::ApiError, executions, judge0::python_version};

/// Piston's default `run_timeout` (wall time), used when a request gives none or `-1`.
const DEFAULT_RUN_TIMEOUT_MS: u64 = 3_000;
const MIN_TIME_MS: u64 = 100;
const MIN_MEMORY_MIB: u64 = 16;
const BYTES_PER_MIB: f64 = 1024.0 * 1024.0;

fn bad(message: impl Into<String>) -> PistonError {
    PistonError::BadRequest(message.into())
}

/// Whether a Piston version selector (`*`, `3.x`, `3.12`, `3.12.0`) matches `version`.
fn version_matches(selector: &str, version: &str) -> bool {
    let selector = selector.trim().trim_start_matches(['=', 'v', '^', '~']);
    if matches!(selector, "*" | "x" | "X" | "") {
        return true;
    }
    let ours: Vec<&str> = version.split('.').collect();
    let parts: Vec<&str> = selector.split('.').collect();
    parts.len() <= ours.len()
        && parts
            .iter()
            .zip(&ours)
            .all(|(part, our)| matches!(*part, "x" | "X" | "*") || part == our)
}

/// A limit in the request: positive numbers count, anything else (`-1`, `0`, absent) is the
/// default, as every known client sends `-1`.
fn positive(body: &Value, field: &str) -> Result<Option<f64>, PistonError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => Ok(number.as_f64().filter(|n| *n > 0.0)),
        Some(_) => Err(bad(format!("If specified, {field} must be a number"))),
    }
}

fn limits(body: &Value, defaults: &Limits, max: &Limits) -> Result<Limits, PistonError> {
    let timeout = positive(body, "run_timeout")?.map_or(DEFAULT_RUN_TIMEOUT_MS as f64, |ms| ms);
    let cpu = positive(body, "run_cpu_time")?.unwrap_or(f64::INFINITY);
    let time_ms = (timeout.min(cpu) as u64).clamp(MIN_TIME_MS, max.time_limit_ms.max(MIN_TIME_MS));
    let memory = positive(body, "run_memory_limit")?.map(|bytes| {
        ((bytes / BYTES_PER_MIB).ceil() as u64)
            .clamp(MIN_MEMORY_MIB, max.memory_limit_mib.max(MIN_MEMORY_MIB))
    });
    for field in [
        "compile_timeout",
        "compile_cpu_time",
        "compile_memory_limit",
    ] {
        positive(body, field)?;
    }
    LimitsRequest {
        time_limit_ms: Some(time_ms),
        memory_limit_mib: memory,
        ..LimitsRequest::default()
    }
    .resolve(defaults, max)
    .map_err(|err| bad(err.to_string()))
}

/// The program: `files[0]`, decoded from its `encoding`. We run one file.
fn program(body: &Value) -> Result<String, PistonError> {
    let files = body
        .get("files")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("files is required as an array"))?;
    let Some(main) = files.first() else {
        return Err(bad("files must include at least one utf8 encoded file"));
    };
    if files.len() > 1 {
        return Err(bad(
            "Code Remote runs one file: send the program as files[0] only",
        ));
    }
    let content = main
        .get("content")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("files[0].content is required as a string"))?;
    let bytes = match main
        .get("encoding")
        .and_then(Value::as_str)
        .unwrap_or("utf8")
    {
        "utf8" => return Ok(content.to_owned()),
        "base64" => base64::engine::general_purpose::STANDARD
            .decode(content.trim())
            .map_err(|_| bad("files[0].content is not valid base64"))?,
        "hex" => (0..content.len())
            .step_by(2)
            .map(|i| {
                content
                    .get(i..i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| bad("files[0].content is not valid hex"))?,
        other => {
            return Err(bad(format!(
                "files[0].encoding {other} is not one of utf8, base64, hex"
            )));
        }
    };
    String::from_utf8(bytes).map_err(|_| bad("files must include at least one utf8 encoded file"))
}

fn spec(body: &Value, state: &AppState) -> Result<JobSpec, PistonError> {
    let code = program(body)?;
    if code.len() > MAX_CODE_BYTES {
        return Err(bad(format!(
            "files[0] must be at most {} KiB",
            MAX_CODE_BYTES / 1024
        )));
    }
    let mut stdin = match body.get("stdin") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(_) => return Err(bad("stdin must be a string")),
    };
    // Piston ends stdin with a newline.
    if !stdin.is_empty() && !stdin.ends_with('\n') {
        stdin.push('\n');
    }
    if stdin.len() > MAX_STDIN_BYTES {
        return Err(bad(format!(
            "stdin must be at most {} KiB",
            MAX_STDIN_BYTES / 1024
        )));
    }
    if body
        .get("args")
        .is_some_and(|args| !args.is_null() && !args.is_array())
    {
        return Err(bad("args must be an array"));
    }
    Ok(JobSpec {
        code,
        stdin,
        limits: limits(body, &state.config.default_limits, &state.config.max_limits)?,
        interactive: false,
        tests: None,
    })
}

fn signal_name(signal: i32) -> String {
    const NAMES: [(i32, &str); 17] = [
        (1, "SIGHUP"),
        (2, "SIGINT"),
        (3, "SIGQUIT"),
        (4, "SIGILL"),
        (5, "SIGTRAP"),
        (6, "SIGABRT"),
        (7, "SIGBUS"),
        (8, "SIGFPE"),
        (9, "SIGKILL"),
        (10, "SIGUSR1"),
        (11, "SIGSEGV"),
        (12, "SIGUSR2"),
        (13, "SIGPIPE"),
        (14, "SIGALRM"),
        (15, "SIGTERM"),
        (24, "SIGXCPU"),
        (25, "SIGXFSZ"),
    ];
    NAMES
        .iter()
        .find(|(number, _)| *number == signal)
        .map_or_else(|| format!("SIG{signal}"), |(_, name)| (*name).to_owned())
}

/// Piston's `status`, `code` and `signal` of a finished run.
pub(super) fn outcome(
    execution: &Execution,
) -> (Option<&'static str>, Option<i32>, Option<String>) {
    let killed = Some("SIGKILL".to_owned());
    match execution.status {
        JobStatus::Succeeded => (None, execution.exit_code, None),
        JobStatus::Failed => match execution.signal {
            Some(signal) => (Some("SG"), None, Some(signal_name(signal))),
            None => (Some("RE"), execution.exit_code, None),
        },
        JobStatus::TimedOut => (Some("TO"), None, killed),
        JobStatus::MemoryExceeded => (Some("SG"), None, killed),
        JobStatus::OutputExceeded if execution.stdout_truncated => (Some("OL"), None, killed),
        JobStatus::OutputExceeded => (Some("EL"), None, killed),
        // Stopped on request (our API, or a `/connect` signal).
        JobStatus::Cancelled => (Some("SG"), None, killed),
        _ => (Some("XX"), None, None),
    }
}

/// Piston's stage object. Strings are never null.
fn stage(execution: &Execution, output: String) -> Value {
    let (status, code, signal) = outcome(execution);
    let message = match execution.status {
        JobStatus::Succeeded => None,
        JobStatus::Failed if execution.signal.is_none() => execution
            .exit_code
            .map(|code| format!("Exited with error status {code}")),
        _ => execution.message.clone(),
    };
    json!({
        "stdout": execution.stdout, "stderr": execution.stderr, "output": output,
        "code": code, "signal": signal, "message": message, "status": status,
        "cpu_time": execution.cpu_time_ms, "wall_time": execution.wall_time_ms,
        "memory": execution.peak_memory_kib.map(|kib| kib * 1024),
    })
}

/// Checks a request (`/execute`, or `/connect`'s `init`): the runtime, the program, its limits.
pub(super) async fn prepare(
    body: &Value,
    state: &AppState,
) -> Result<(JobSpec, &'static str), PistonError> {
    let language = body
        .get("language")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("language is required as a string"))?;
    let selector = body
        .get("version")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("version is required as a string"))?;
    let version = python_version().await;
    let known = language == "python" || aliases(version).iter().any(|alias| alias == language);
    if !known || !version_matches(selector, version) {
        return Err(bad(format!("{language}-{selector} runtime is unknown")));
    }
    Ok((spec(body, state)?, version))
}

/// Runs the request and answers `{language, version, run}` (no `compile`: Python has none).
pub(super) async fn execute(
    State(state): State<AppState>,
    PistonUser(user): PistonUser,
    body: Bytes,
) -> Result<axum::Json<Value>, PistonError> {
    let body: Value = serde_json::from_slice(&body)
        .map_err(|err| bad(format!("the body is not valid JSON: {err}")))?;
    let (spec, version) = prepare(&body, &state).await?;
    let execution = executions::submit(&state, &user, &spec).await?;
    let timeout = Duration::from_millis(spec.limits.time_limit_ms) + state.config.wait_margin;
    state.hub.wait_finished(execution.id, timeout).await?;
    let finished = state
        .store
        .job(execution.id)
        .await?
        .filter(|e| e.status.is_terminal());
    let Some(finished) = finished else {
        return Err(ApiError::Unavailable {
            code: "not_finished",
            message: format!(
                "the run {} did not finish in time; see it in your history",
                execution.id
            ),
            retry_after: None,
        }
        .into());
    };
    let output = interleaved(&state, &finished).await?;
    Ok(axum::Json(
        json!({ "language": "python", "version": version, "run": stage(&finished, output) }),
    ))
}

/// stdout and stderr in the order the worker read them, from the stored output events (all
/// stored before the job is marked finished). Pruned events: stdout then stderr.
async fn interleaved(state: &AppState, finished: &Execution) -> Result<String, PistonError> {
    let output: String = state
        .store
        .events_since(finished.id, 0)
        .await?
        .into_iter()
        .filter_map(|event| match event {
            JobEvent::Output { data, .. } => Some(data),
            _ => None,
        })
        .collect();
    if output.len() < finished.stdout.len() + finished.stderr.len() {
        return Ok(format!("{}{}", finished.stdout, finished.stderr));
    }
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_selectors_match_as_piston_clients_use_them() {
        for selector in ["*", "3.x", "3", "3.11", "3.11.7", "3.11.x", "^3"] {
            assert!(version_matches(selector, "3.11.7"), "{selector}");
        }
        for selector in ["2", "3.12", "3.11.8", "3.11.7.1"] {
            assert!(!version_matches(selector, "3.11.7"), "{selector}");
        }
    }

    #[test]
    fn minus_one_limits_mean_the_default() {
        let body = json!({"run_timeout": 3000, "run_memory_limit": -1, "compile_memory_limit": -1});
        let resolved = limits(&body, &Limits::default(), &Limits::default()).unwrap();
        assert_eq!(resolved.time_limit_ms, 3_000);
        assert_eq!(
            resolved.memory_limit_mib,
            Limits::default().memory_limit_mib
        );
        let body = json!({"run_memory_limit": 64 * 1024 * 1024});
        assert_eq!(
            limits(&body, &Limits::default(), &Limits::default())
                .unwrap()
                .memory_limit_mib,
            64
        );
    }
}

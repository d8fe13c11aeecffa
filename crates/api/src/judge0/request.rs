//! A Judge0 submission request, checked as Judge0 checks it and mapped onto our job spec.
//!
//! Numbers and booleans may come as strings and `null` means the default, as Rails coerces them.
//! Limits above this server's maximum are clamped to it, not refused; options we cannot honour
//! (network, compiler options, arguments, extra files) get Judge0's own 422 messages. A
//! `callback_url` is taken as it is; the caller checks it (see `crate::webhooks`).

use base64::{
    Engine,
    alphabet::STANDARD,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
};
use code_remote_core::{JobSpec, Limits, LimitsRequest, MAX_CODE_BYTES, MAX_STDIN_BYTES};
use serde_json::{Map, Value};

use super::meta::PYTHON_IDS;

/// Judge0's `MAX_SUBMISSION_BATCH_SIZE`.
pub(crate) const MAX_BATCH: usize = 20;
/// Judge0's maximum `number_of_runs`; we accept it and run once.
pub(crate) const MAX_NUMBER_OF_RUNS: u64 = 20;
/// Judge0's default `stack_limit`, reported but not enforced separately (memory bounds it).
pub(crate) const STACK_LIMIT_KB: u64 = 64_000;
/// The smallest limits a run may get (as in `code_remote_core`'s checks).
const MIN_TIME_MS: u64 = 100;
const MIN_MEMORY_MIB: u64 = 16;
const MIN_PROCESSES: u32 = 4;

/// Judge0's defaults, capped by this server's maxima.
pub(crate) struct Judge0Defaults {
    pub cpu_time_limit: f64,
    pub cpu_extra_time: f64,
    pub wall_time_limit: f64,
    /// KB.
    pub memory_limit: u64,
    pub max_processes: u32,
    /// KB.
    pub max_file_size: u64,
}

/// Judge0 CE 1.13.1's own defaults (`app/helpers/config.rb`).
const JUDGE0: Judge0Defaults = Judge0Defaults {
    cpu_time_limit: 5.0,
    cpu_extra_time: 1.0,
    wall_time_limit: 10.0,
    memory_limit: 128_000,
    max_processes: 60,
    max_file_size: 1024,
};

impl Judge0Defaults {
    pub(crate) fn capped(max: &Limits) -> Self {
        let max_seconds = max.time_limit_ms as f64 / 1000.0;
        Self {
            cpu_time_limit: JUDGE0.cpu_time_limit.min(max_seconds),
            cpu_extra_time: JUDGE0.cpu_extra_time.min(max_seconds),
            wall_time_limit: JUDGE0.wall_time_limit.min(max_seconds),
            memory_limit: JUDGE0.memory_limit.min(max.memory_limit_mib * 1024),
            max_processes: JUDGE0.max_processes.min(max.max_processes),
            max_file_size: JUDGE0.max_file_size.min(max.max_file_size_mib * 1024),
        }
    }
}

/// A checked submission.
#[derive(Debug)]
pub(crate) struct Submission {
    pub spec: JobSpec,
    pub expected_output: Option<String>,
    pub callback_url: Option<String>,
}

/// Collects Judge0-style errors, field by field.
#[derive(Default)]
struct Errors(Map<String, Value>);

impl Errors {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        let entry = self
            .0
            .entry(field.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(messages) = entry {
            messages.push(Value::String(message.into()));
        }
    }
}

/// Ruby's `Base64.decode64` is lenient: characters outside the alphabet (newlines, spaces) are
/// skipped and padding is optional.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let kept: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/'))
        .collect();
    LENIENT.decode(kept).ok()
}

pub(crate) fn encode_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn present(body: &Map<String, Value>, field: &str) -> Option<Value> {
    body.get(field).filter(|value| !value.is_null()).cloned()
}

fn text(
    body: &Map<String, Value>,
    field: &str,
    base64: bool,
    errors: &mut Errors,
) -> Option<String> {
    let raw = match present(body, field)? {
        Value::String(text) => text,
        other @ (Value::Number(_) | Value::Bool(_)) => other.to_string(),
        _ => {
            errors.add(field, "must be a string");
            return None;
        }
    };
    if !base64 {
        return Some(raw);
    }
    match decode_base64(&raw).map(String::from_utf8) {
        Some(Ok(decoded)) => Some(decoded),
        Some(Err(_)) => {
            errors.add(field, "is not valid UTF-8 once decoded from base64");
            None
        }
        None => {
            errors.add(field, "is not valid base64");
            None
        }
    }
}

fn number(body: &Map<String, Value>, field: &str, errors: &mut Errors) -> Option<f64> {
    let parsed = match present(body, field)? {
        Value::Number(number) => number.as_f64(),
        Value::String(text) if text.trim().is_empty() => return None,
        Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    };
    match parsed {
        Some(value) if value.is_finite() => Some(value),
        _ => {
            errors.add(field, "is not a number");
            None
        }
    }
}

/// A number at least `min` (`strict`: greater than `min`), as Judge0 validates it.
fn bounded(
    body: &Map<String, Value>,
    field: &str,
    min: f64,
    strict: bool,
    errors: &mut Errors,
) -> Option<f64> {
    let value = number(body, field, errors)?;
    if strict && value <= min {
        errors.add(field, format!("must be greater than {min}"));
        return None;
    }
    if value < min {
        errors.add(field, format!("must be greater than or equal to {min}"));
        return None;
    }
    Some(value)
}

fn flag(body: &Map<String, Value>, field: &str, errors: &mut Errors) -> bool {
    match present(body, field) {
        None => false,
        Some(Value::Bool(value)) => value,
        Some(Value::String(text)) => matches!(text.trim(), "true" | "1" | "t" | "on"),
        Some(Value::Number(number)) => number.as_f64().is_some_and(|n| n != 0.0),
        Some(_) => {
            errors.add(field, "is not a boolean");
            false
        }
    }
}

fn refuse_if_set(body: &Map<String, Value>, field: &str, message: &str, errors: &mut Errors) {
    let set = match present(body, field) {
        None => false,
        Some(Value::String(text)) => !text.is_empty(),
        Some(_) => true,
    };
    if set {
        errors.add(field, message);
    }
}

fn language(body: &Map<String, Value>, errors: &mut Errors) {
    let Some(value) = present(body, "language_id") else {
        errors.add("language_id", "can't be blank");
        return;
    };
    let id = match &value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    };
    match id {
        Some(id) if PYTHON_IDS.iter().any(|(known, _)| *known == id) => {}
        Some(id) => errors.add(
            "language_id",
            format!(
                "language with id {id} doesn't exist (Code Remote runs Python only: use 71 or \
                 another id listed by GET /languages)"
            ),
        ),
        None => errors.add("language_id", "is not a number"),
    }
}

/// Judge0's time, memory, process and file limits mapped onto ours, clamped to `max`.
/// Judge0 stops a run at `cpu_time_limit + cpu_extra_time` of CPU or `wall_time_limit` of wall
/// time; we have one wall-clock limit, the smaller of the two (a busy program uses CPU as fast as
/// wall time on its one core).
fn limits(body: &Map<String, Value>, max: &Limits, errors: &mut Errors) -> LimitsRequest {
    let defaults = Judge0Defaults::capped(max);
    let cpu =
        bounded(body, "cpu_time_limit", 0.0, false, errors).unwrap_or(defaults.cpu_time_limit);
    let extra =
        bounded(body, "cpu_extra_time", 0.0, false, errors).unwrap_or(defaults.cpu_extra_time);
    let wall =
        bounded(body, "wall_time_limit", 1.0, false, errors).unwrap_or(defaults.wall_time_limit);
    let memory_kb = bounded(body, "memory_limit", 2048.0, false, errors)
        .unwrap_or(defaults.memory_limit as f64);
    let processes = bounded(body, "max_processes_and_or_threads", 0.0, true, errors)
        .unwrap_or(f64::from(defaults.max_processes));
    let file_kb =
        bounded(body, "max_file_size", 0.0, false, errors).unwrap_or(defaults.max_file_size as f64);
    bounded(body, "stack_limit", 0.0, false, errors);
    bounded(body, "number_of_runs", 0.0, true, errors);
    let time_ms = ((cpu + extra).min(wall) * 1000.0).round() as u64;
    LimitsRequest {
        time_limit_ms: Some(time_ms.clamp(MIN_TIME_MS, max.time_limit_ms.max(MIN_TIME_MS))),
        memory_limit_mib: Some(
            ((memory_kb / 1024.0).ceil() as u64)
                .clamp(MIN_MEMORY_MIB, max.memory_limit_mib.max(MIN_MEMORY_MIB)),
        ),
        max_processes: Some(
            (processes as u32).clamp(MIN_PROCESSES, max.max_processes.max(MIN_PROCESSES)),
        ),
        max_file_size_mib: Some(
            ((file_kb / 1024.0).ceil() as u64).clamp(1, max.max_file_size_mib.max(1)),
        ),
        ..LimitsRequest::default()
    }
}

/// Checks one submission object; the error is Judge0's 422 map.
pub(crate) fn parse(
    body: &Value,
    base64: bool,
    defaults: &Limits,
    max: &Limits,
) -> Result<Submission, Map<String, Value>> {
    let Some(body) = body.as_object() else {
        let mut errors = Errors::default();
        errors.add("submission", "must be a JSON object");
        return Err(errors.0);
    };
    let mut errors = Errors::default();
    let code = text(body, "source_code", base64, &mut errors);
    if code.as_deref().is_none_or(str::is_empty) && !errors.0.contains_key("source_code") {
        errors.add("source_code", "can't be blank");
    }
    if code
        .as_ref()
        .is_some_and(|code| code.len() > MAX_CODE_BYTES)
    {
        errors.add(
            "source_code",
            format!("is too long (maximum is {MAX_CODE_BYTES} bytes)"),
        );
    }
    language(body, &mut errors);
    let stdin = text(body, "stdin", base64, &mut errors).unwrap_or_default();
    if stdin.len() > MAX_STDIN_BYTES {
        errors.add(
            "stdin",
            format!("is too long (maximum is {MAX_STDIN_BYTES} bytes)"),
        );
    }
    let expected_output = text(body, "expected_output", base64, &mut errors);
    let limits = limits(body, max, &mut errors);
    for field in [
        "enable_per_process_and_thread_time_limit",
        "enable_per_process_and_thread_memory_limit",
    ] {
        if flag(body, field, &mut errors) {
            errors.add(field, "this option cannot be enabled");
        }
    }
    if flag(body, "enable_network", &mut errors) {
        errors.add("enable_network", "enabling network is not allowed");
    }
    if flag(body, "redirect_stderr_to_stdout", &mut errors) {
        errors.add(
            "redirect_stderr_to_stdout",
            "redirecting stderr to stdout is not supported",
        );
    }
    refuse_if_set(
        body,
        "compiler_options",
        "setting compiler options is only allowed for compiled languages",
        &mut errors,
    );
    refuse_if_set(
        body,
        "command_line_arguments",
        "setting command line arguments is not allowed",
        &mut errors,
    );
    let callback_url = text(body, "callback_url", false, &mut errors).filter(|url| !url.is_empty());
    refuse_if_set(
        body,
        "additional_files",
        "setting additional files is not allowed",
        &mut errors,
    );
    if !errors.0.is_empty() {
        return Err(errors.0);
    }
    let limits = limits.resolve(defaults, max).map_err(|err| {
        let mut errors = Errors::default();
        errors.add("limits", err.to_string());
        errors.0
    })?;
    Ok(Submission {
        spec: JobSpec {
            code: code.unwrap_or_default(),
            stdin,
            limits,
            interactive: false,
            tests: None,
        },
        expected_output,
        callback_url,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(body: Value) -> Result<Submission, Map<String, Value>> {
        parse(&body, false, &Limits::default(), &Limits::default())
    }

    #[test]
    fn numbers_may_come_as_strings_and_null_means_the_default() {
        let submission = check(json!({
            "source_code": "print(1)", "language_id": "71", "cpu_time_limit": "2",
            "cpu_extra_time": "0.5", "memory_limit": 65536.0, "wall_time_limit": null,
        }))
        .unwrap();
        assert_eq!(submission.spec.limits.time_limit_ms, 2_500);
        assert_eq!(submission.spec.limits.memory_limit_mib, 64);
    }

    #[test]
    fn limits_above_the_server_maximum_are_clamped() {
        let submission = check(json!({
            "source_code": "print(1)", "language_id": 71, "cpu_time_limit": 1000,
            "wall_time_limit": 1000, "memory_limit": 10_000_000,
        }))
        .unwrap();
        assert_eq!(
            submission.spec.limits.time_limit_ms,
            Limits::default().time_limit_ms
        );
        assert_eq!(
            submission.spec.limits.memory_limit_mib,
            Limits::default().memory_limit_mib
        );
    }

    #[test]
    fn errors_use_judge0s_field_map() {
        let errors = check(json!({
            "language_id": 50, "wall_time_limit": "soon", "memory_limit": 10, "enable_network": true,
        }))
        .unwrap_err();
        assert_eq!(errors["source_code"], json!(["can't be blank"]));
        assert!(
            errors["language_id"][0]
                .as_str()
                .unwrap()
                .starts_with("language with id 50 doesn't exist")
        );
        assert_eq!(errors["wall_time_limit"], json!(["is not a number"]));
        assert_eq!(
            errors["memory_limit"],
            json!(["must be greater than or equal to 2048"])
        );
        assert_eq!(
            errors["enable_network"],
            json!(["enabling network is not allowed"])
        );
    }

    #[test]
    fn base64_is_decoded_leniently() {
        assert_eq!(
            decode_base64("aGVsbG8sIEp1ZGdlMAo=\n").unwrap(),
            b"hello, Judge0\n"
        );
        assert_eq!(decode_base64("aGk").unwrap(), b"hi");
        let errors = parse(
            &json!({"source_code": "/w==", "language_id": 71}),
            true,
            &Limits::default(),
            &Limits::default(),
        )
        .unwrap_err();
        assert!(errors.contains_key("source_code"));
    }
}

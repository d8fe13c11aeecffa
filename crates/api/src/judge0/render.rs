//! An execution shown as a Judge0 submission: the 14 statuses with Judge0's precedence, its
//! value types (decimal strings, millisecond `Z` dates, `null` for empty output), `fields` and
//! base64.
//!
//! A token is the execution id, followed by `.` and a digest of the stripped `expected_output`
//! when one was given: the verdict needs only equality, so nothing else has to be stored.

use code_remote_core::{Execution, JobId, JobStatus};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::request::{STACK_LIMIT_KB, encode_base64};

/// Judge0's statuses; the id is the index plus one.
pub(crate) const STATUSES: [&str; 14] = [
    "In Queue",
    "Processing",
    "Accepted",
    "Wrong Answer",
    "Time Limit Exceeded",
    "Compilation Error",
    "Runtime Error (SIGSEGV)",
    "Runtime Error (SIGXFSZ)",
    "Runtime Error (SIGFPE)",
    "Runtime Error (SIGABRT)",
    "Runtime Error (NZEC)",
    "Runtime Error (Other)",
    "Internal Error",
    "Exec Format Error",
];
const ACCEPTED: usize = 3;
const WRONG_ANSWER: usize = 4;
const SIGXFSZ_STATUS: usize = 8;
const RUNTIME_OTHER: usize = 12;
const INTERNAL: usize = 13;
/// The language a submission reports: we do not keep the id it was sent with.
const REPORTED_LANGUAGE: i64 = 71;
/// Bytes of SHA-256 kept in a token (128 bits: no accidental equality).
const DIGEST_BYTES: usize = 16;

/// The default fields, in Judge0's order.
pub(crate) const DEFAULT_FIELDS: [&str; 8] = [
    "token",
    "time",
    "memory",
    "stdout",
    "stderr",
    "compile_output",
    "message",
    "status",
];
/// Every field `fields=*` gives (v1.13.1's columns, `status` and `language`), except
/// `expected_output`, which we cannot give back (see the module doc) and so leave out rather
/// than overwrite a client's copy with `null`.
pub(crate) const ALL_FIELDS: [&str; 34] = [
    "source_code",
    "language_id",
    "stdin",
    "stdout",
    "status_id",
    "created_at",
    "finished_at",
    "time",
    "memory",
    "stderr",
    "token",
    "number_of_runs",
    "cpu_time_limit",
    "cpu_extra_time",
    "wall_time_limit",
    "memory_limit",
    "stack_limit",
    "max_processes_and_or_threads",
    "enable_per_process_and_thread_time_limit",
    "enable_per_process_and_thread_memory_limit",
    "max_file_size",
    "compile_output",
    "exit_code",
    "exit_signal",
    "message",
    "wall_time",
    "compiler_options",
    "command_line_arguments",
    "redirect_stderr_to_stdout",
    "callback_url",
    "additional_files",
    "enable_network",
    "status",
    "language",
];
/// Text fields that `base64_encoded=true` encodes.
const ENCODED: [&str; 7] = [
    "source_code",
    "stdin",
    "expected_output",
    "stdout",
    "stderr",
    "compile_output",
    "message",
];

/// Judge0's `strip`: trailing whitespace off every line, then trailing blank lines.
pub(crate) fn strip(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim_end().to_owned()
}

pub(crate) fn digest(text: &str) -> String {
    let hash = Sha256::digest(strip(text).as_bytes());
    hash[..DIGEST_BYTES]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

pub(crate) fn token(id: JobId, expected_output: Option<&str>) -> String {
    match expected_output {
        Some(expected) => format!("{id}.{}", digest(expected)),
        None => id.to_string(),
    }
}

/// A parsed token: the execution and the expected output's digest, if any.
pub(crate) struct Token {
    pub id: JobId,
    pub expected: Option<String>,
}

impl Token {
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (id, expected) = match text.trim().split_once('.') {
            Some((id, digest)) => (id, Some(digest.to_ascii_lowercase())),
            None => (text.trim(), None),
        };
        Some(Self {
            id: id.parse().ok()?,
            expected,
        })
    }
}

/// Judge0's status id, in its precedence: time limit, fatal signal, non-zero exit, internal
/// error, then the comparison with the expected output.
pub(crate) fn status_id(execution: &Execution, expected: Option<&str>) -> usize {
    match execution.status {
        JobStatus::Queued => 1,
        JobStatus::Running => 2,
        JobStatus::TimedOut => 5,
        // An out-of-memory kill is a SIGKILL in Judge0: "Runtime Error (Other)".
        JobStatus::MemoryExceeded => RUNTIME_OTHER,
        // Judge0's output goes to a size-limited file: too much of it is a SIGXFSZ.
        JobStatus::OutputExceeded => SIGXFSZ_STATUS,
        JobStatus::Failed => match execution.signal {
            Some(11) => 7,
            Some(25) => SIGXFSZ_STATUS,
            Some(8) => 9,
            Some(6) => 10,
            Some(_) => RUNTIME_OTHER,
            None => 11,
        },
        JobStatus::Cancelled | JobStatus::InternalError => INTERNAL,
        JobStatus::Succeeded => match expected {
            None => ACCEPTED,
            // Judge0 compares against a null stdout when there was no output: never equal.
            Some(_) if execution.stdout.is_empty() => WRONG_ANSWER,
            Some(expected) if digest(&execution.stdout) == expected => ACCEPTED,
            Some(_) => WRONG_ANSWER,
        },
    }
}

/// Rails prints decimals with at least one fractional digit: `"5.0"`, `"0.152"`.
fn seconds(ms: u64) -> String {
    let fraction = format!("{:03}", ms % 1000);
    let fraction = fraction.trim_end_matches('0');
    format!(
        "{}.{}",
        ms / 1000,
        if fraction.is_empty() { "0" } else { fraction }
    )
}

fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// `null` for empty text, as Judge0 stores it.
fn text(value: &str) -> Value {
    if value.is_empty() {
        Value::Null
    } else {
        Value::String(value.to_owned())
    }
}

/// Isolate's words for how the run ended.
fn message(execution: &Execution) -> Option<String> {
    match execution.status {
        JobStatus::TimedOut => Some("Time limit exceeded".into()),
        JobStatus::Failed => match (execution.signal, execution.exit_code) {
            (Some(signal), _) => Some(format!("Caught fatal signal {signal}")),
            (None, Some(code)) => Some(format!("Exited with error status {code}")),
            (None, None) => execution.message.clone(),
        },
        JobStatus::Succeeded | JobStatus::Queued | JobStatus::Running => None,
        _ => execution.message.clone(),
    }
}

pub(crate) struct View<'a> {
    pub execution: &'a Execution,
    pub token: &'a Token,
    pub language_name: &'a str,
}

impl View<'_> {
    fn value(&self, field: &str) -> Value {
        let execution = self.execution;
        let finished = execution.status.is_terminal();
        let limits = &execution.limits;
        let limit_seconds = seconds(limits.time_limit_ms);
        let status = status_id(execution, self.token.expected.as_deref());
        match field {
            "token" => Value::String(match &self.token.expected {
                Some(digest) => format!("{}.{digest}", execution.id),
                None => execution.id.to_string(),
            }),
            "source_code" => text(&execution.code),
            "stdin" => text(&execution.stdin),
            "stdout" => text(&execution.stdout),
            "stderr" => text(&execution.stderr),
            "language_id" => json!(REPORTED_LANGUAGE),
            "language" => json!({ "id": REPORTED_LANGUAGE, "name": self.language_name }),
            "status_id" => json!(status),
            "status" => json!({ "id": status, "description": STATUSES[status - 1] }),
            "created_at" => json!(date(execution.created_at)),
            "finished_at" => json!(execution.finished_at.map(date)),
            "time" => json!(execution.cpu_time_ms.map(seconds)),
            "wall_time" => json!(execution.wall_time_ms.map(seconds)),
            "memory" => json!(execution.peak_memory_kib),
            "number_of_runs" => json!(1),
            "cpu_time_limit" | "wall_time_limit" => json!(limit_seconds),
            "cpu_extra_time" => json!("0.0"),
            "memory_limit" => json!(limits.memory_limit_mib * 1024),
            "stack_limit" => json!(STACK_LIMIT_KB),
            "max_processes_and_or_threads" => json!(limits.max_processes),
            "max_file_size" => json!(limits.max_file_size_mib * 1024),
            "enable_per_process_and_thread_time_limit"
            | "enable_per_process_and_thread_memory_limit"
            | "redirect_stderr_to_stdout"
            | "enable_network" => json!(false),
            "exit_code" => json!(finished.then(|| execution.exit_code.unwrap_or(0))),
            "exit_signal" => json!(execution.signal),
            "message" => json!(message(execution)),
            // "compile_output", "expected_output", "compiler_options", "command_line_arguments",
            // "callback_url", "additional_files": never set here.
            _ => Value::Null,
        }
    }

    /// The submission object with `fields`, base64-encoding the text fields when asked.
    pub(crate) fn render(&self, fields: &[&str], base64: bool) -> Value {
        let mut object = Map::new();
        for field in fields {
            let mut value = self.value(field);
            if base64
                && ENCODED.contains(field)
                && let Value::String(text) = &value
            {
                value = Value::String(encode_base64(text));
            }
            object.insert((*field).to_owned(), value);
        }
        Value::Object(object)
    }
}

/// The `fields` parameter: default, `*`, or a comma-separated list of known fields.
pub(crate) fn fields(param: Option<&str>) -> Result<Vec<&str>, String> {
    let Some(param) = param.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(DEFAULT_FIELDS.to_vec());
    };
    if param == "*" {
        return Ok(ALL_FIELDS.to_vec());
    }
    let requested: Vec<&str> = param
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    let unknown: Vec<&str> = requested
        .iter()
        .copied()
        .filter(|field| !ALL_FIELDS.contains(field) && *field != "expected_output")
        .collect();
    if unknown.is_empty() {
        Ok(requested)
    } else {
        Err(format!("invalid fields: [{}]", unknown.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_ignores_trailing_whitespace_per_line_and_trailing_blank_lines() {
        assert_eq!(strip("a \r\nb\t\n\n  \n"), "a\nb");
        assert_ne!(strip(" a"), strip("a"));
    }

    #[test]
    fn seconds_are_rails_decimals() {
        assert_eq!(seconds(5_000), "5.0");
        assert_eq!(seconds(152), "0.152");
        assert_eq!(seconds(1_500), "1.5");
    }

    #[test]
    fn tokens_carry_the_expected_outputs_digest() {
        let id = JobId::new();
        let parsed = Token::parse(&token(id, Some("2\n"))).unwrap();
        assert_eq!(parsed.id, id);
        assert_eq!(parsed.expected.unwrap(), digest("2"));
        assert!(Token::parse(&id.to_string()).unwrap().expected.is_none());
        assert!(Token::parse("nope").is_none());
    }

    #[test]
    fn unknown_fields_are_named() {
        assert_eq!(
            fields(Some("stdout,foo,bar")).unwrap_err(),
            "invalid fields: [foo, bar]"
        );
        assert_eq!(fields(None).unwrap().len(), 8);
    }
}

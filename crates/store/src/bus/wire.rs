//! What travels through NOTIFY: channel names and small payloads.
//!
//! Channel names include the database schema, so deployments (and test runs) that share a
//! database but not a schema do not hear each other.

use code_remote_core::JobId;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::Control;
use crate::{Error, Result};

/// PostgreSQL rejects NOTIFY payloads of 8000 bytes or more; stay well below with the JSON
/// envelope around a stdin chunk.
const MAX_STDIN_CHUNK: usize = 7000;
/// Identifiers (channel names) are cut at 63 bytes.
const MAX_SCHEMA_IN_CHANNEL: usize = 48;

#[derive(Clone, Debug)]
pub(super) struct Channels {
    pub(super) events: String,
    pub(super) queued: String,
    pub(super) control: String,
}

impl Channels {
    pub(super) async fn for_pool(pool: &PgPool) -> Result<Channels> {
        let schema: String = sqlx::query_scalar("select current_schema()")
            .fetch_one(pool)
            .await?;
        Ok(Channels::for_schema(&schema))
    }

    fn for_schema(schema: &str) -> Channels {
        let mut scope: String = schema
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        scope.truncate(MAX_SCHEMA_IN_CHANNEL);
        Channels {
            events: format!("cr_{scope}_events"),
            queued: format!("cr_{scope}_queued"),
            control: format!("cr_{scope}_control"),
        }
    }

    pub(super) fn all(&self) -> [&str; 3] {
        [&self.events, &self.queued, &self.control]
    }
}

pub(super) fn event(job: JobId, seq: u64) -> String {
    format!("{job}:{seq}")
}

pub(super) fn parse_event(payload: &str) -> Option<(JobId, u64)> {
    let (job, seq) = payload.split_once(':')?;
    Some((job.parse().ok()?, seq.parse().ok()?))
}

#[derive(Serialize, Deserialize)]
struct ControlMessage {
    job: JobId,
    msg: Control,
}

/// One payload per message; stdin is split at character boundaries into chunks whose JSON
/// form fits a notification.
pub(super) fn control(job: JobId, msg: &Control) -> Result<Vec<String>> {
    let messages = match msg {
        Control::Stdin(text) => split_stdin(text)
            .into_iter()
            .map(|chunk| Control::Stdin(chunk.to_owned()))
            .collect(),
        other => vec![other.clone()],
    };
    messages
        .into_iter()
        .map(|msg| {
            serde_json::to_string(&ControlMessage { job, msg }).map_err(|source| Error::Encode {
                what: "control message",
                source,
            })
        })
        .collect()
}

pub(super) fn parse_control(payload: &str) -> Option<(JobId, Control)> {
    let message: ControlMessage = serde_json::from_str(payload).ok()?;
    Some((message.job, message.msg))
}

/// Bytes a character takes inside a JSON string.
fn escaped_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    }
}

fn split_stdin(text: &str) -> Vec<&str> {
    let mut chunks = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (at, c) in text.char_indices() {
        if size + escaped_len(c) > MAX_STDIN_CHUNK {
            chunks.push(&text[start..at]);
            (start, size) = (at, 0);
        }
        size += escaped_len(c);
    }
    if start < text.len() || chunks.is_empty() {
        chunks.push(&text[start..]);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_stdin_is_split_into_payloads_that_fit_a_notification_and_rejoin_exactly() {
        let text = "é\"\u{1}x\n".repeat(5_000);
        let payloads = control(JobId::new(), &Control::Stdin(text.clone())).unwrap();
        assert!(payloads.len() > 1);
        let mut rejoined = String::new();
        for payload in &payloads {
            assert!(payload.len() < 8000, "payload of {} bytes", payload.len());
            let (_, Control::Stdin(chunk)) = parse_control(payload).unwrap() else {
                panic!("not stdin")
            };
            rejoined.push_str(&chunk);
        }
        assert_eq!(rejoined, text);
    }

    #[test]
    fn empty_stdin_is_still_one_message() {
        assert_eq!(
            control(JobId::new(), &Control::Stdin(String::new()))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn event_payloads_round_trip_and_garbage_is_ignored() {
        let job = JobId::new();
        assert_eq!(parse_event(&event(job, 42)), Some((job, 42)));
        assert_eq!(parse_event("nonsense"), None);
        assert_eq!(parse_control("{\"job\":1}"), None);
    }

    #[test]
    fn channel_names_stay_short_and_plain() {
        let channels = Channels::for_schema(&format!("{}\"; drop", "x".repeat(80)));
        for name in channels.all() {
            assert!(name.len() < 63);
            assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        }
    }
}

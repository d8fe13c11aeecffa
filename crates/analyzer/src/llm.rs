//! Language-model providers behind one trait. A [`Provider`] knows its wire format (URL,
//! headers, request body, where the answer and the retry delay are); [`LlmClient`] owns the
//! transport: timeouts, bounded retries with backoff on 429 and 5xx, and validation of the
//! reply into canonical classes. It never decides what to do on failure: the caller falls back.

mod gemini;
mod openai;

use std::time::Duration;

use reqwest::StatusCode;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::cost::Cost;
pub use gemini::Gemini;
pub use openai::OpenAi;

/// Which wire format a configured model speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// Google Gemini `generateContent`.
    Gemini,
    /// `/v1/chat/completions` (OpenAI, Ollama, llama.cpp, vLLM).
    OpenAi,
}

/// Longest wait honoured between two attempts, whatever a provider asks for.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(20);

/// How to reach a model. The key is secret: it is never printed, and `Debug` redacts it.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    pub provider: ProviderKind,
    /// Scheme, host and optional path prefix, e.g. `https://generativelanguage.googleapis.com`.
    pub base_url: String,
    pub model: String,
    /// Required for Gemini; an optional bearer token for OpenAI-compatible servers.
    pub api_key: Option<SecretString>,
    /// Limit for one HTTP request.
    pub timeout: Duration,
    /// Attempts after the first one, on 429, 5xx and transport errors.
    pub max_retries: u32,
    /// First backoff wait; doubled on each retry unless the provider says how long to wait.
    pub backoff_base: Duration,
}

impl LlmConfig {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
    pub const DEFAULT_MAX_RETRIES: u32 = 2;
    pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(500);
}

/// Why a model gave no usable answer.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("could not reach the model: {0}")]
    Transport(#[source] reqwest::Error),
    #[error("the model answered HTTP {status}: {message}")]
    Status { status: u16, message: String },
    #[error("the model's reply was not a valid analysis: {0}")]
    InvalidReply(String),
}

/// A validated model answer, with classes in canonical form.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelAnswer {
    pub time: Cost,
    pub space: Cost,
    pub explanation: String,
}

/// One provider's wire format.
pub trait Provider: Send + Sync {
    /// The URL to POST to.
    fn url(&self) -> String;
    /// Authentication and other headers (values may be secret: never log them).
    fn headers(&self) -> Vec<(&'static str, String)>;
    /// The request body for a prompt and the JSON schema the answer must follow.
    fn body(&self, system: &str, user: &str, schema: &Value) -> Value;
    /// The text of the answer in a successful response body.
    fn answer_text(&self, response: &Value) -> Option<String>;
    /// How long the provider asks us to wait, from an error response body.
    fn retry_delay(&self, _error: &Value) -> Option<Duration> {
        None
    }
}

/// The JSON schema both providers are asked to follow.
pub fn answer_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "time_complexity": { "type": "string", "description": "Big-O worst-case time, e.g. O(n log n)" },
            "space_complexity": { "type": "string", "description": "Big-O extra space, e.g. O(n)" },
            "explanation": { "type": "string" }
        },
        "required": ["time_complexity", "space_complexity", "explanation"],
        "additionalProperties": false
    })
}

pub const SYSTEM_PROMPT: &str = "You analyse Python programs. Give the worst-case time complexity \
and the extra space complexity in Big-O notation with respect to the input size n (a program that \
reads stdin: n is the size of what it reads). Use one of O(1), O(log n), O(sqrt n), O(n), \
O(n log n), O(n^2), O(n^2 log n), O(n^3), O(2^n), O(n!), or O(n^k). Explain briefly which loop \
or recursion dominates. Answer only with JSON following the schema.";

#[derive(Deserialize)]
struct RawAnswer {
    time_complexity: String,
    space_complexity: String,
    #[serde(default)]
    explanation: String,
}

/// Parses and normalises a model's JSON text.
pub fn validate(text: &str) -> Result<ModelAnswer, LlmError> {
    let trimmed = text
        .trim()
        .trim_start_matches("```json")
        .trim_start_matches("```")
        .trim_end_matches("```")
        .trim();
    let raw: RawAnswer =
        serde_json::from_str(trimmed).map_err(|e| LlmError::InvalidReply(e.to_string()))?;
    let class = |s: &str| {
        Cost::parse_class(s)
            .ok_or_else(|| LlmError::InvalidReply(format!("unrecognised complexity class {s:?}")))
    };
    Ok(ModelAnswer {
        time: class(&raw.time_complexity)?,
        space: class(&raw.space_complexity)?,
        explanation: raw.explanation,
    })
}

/// Sends prompts to one provider with bounded retries.
pub struct LlmClient {
    provider: Box<dyn Provider>,
    http: reqwest::Client,
    max_retries: u32,
    backoff_base: Duration,
}

impl LlmClient {
    pub fn new(config: &LlmConfig) -> crate::Result<LlmClient> {
        let base = config.base_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(crate::Error::InvalidBaseUrl { url: base });
        }
        let provider: Box<dyn Provider> = match config.provider {
            ProviderKind::Gemini => {
                let key = config
                    .api_key
                    .clone()
                    .ok_or(crate::Error::MissingApiKey { provider: "gemini" })?;
                Box::new(Gemini::new(base, config.model.clone(), key))
            }
            ProviderKind::OpenAi => Box::new(OpenAi::new(
                base,
                config.model.clone(),
                config.api_key.clone(),
            )),
        };
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(crate::Error::HttpClient)?;
        Ok(LlmClient {
            provider,
            http,
            max_retries: config.max_retries,
            backoff_base: config.backoff_base,
        })
    }

    /// Asks the model about `code`.
    pub async fn ask(&self, code: &str) -> Result<ModelAnswer, LlmError> {
        let body = self.provider.body(SYSTEM_PROMPT, code, &answer_schema());
        let mut attempt = 0;
        loop {
            let mut request = self.http.post(self.provider.url()).json(&body);
            for (name, value) in self.provider.headers() {
                request = request.header(name, value);
            }
            let (error, wait) = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let text = response.text().await.map_err(LlmError::Transport)?;
                    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    if status.is_success() {
                        let answer = self.provider.answer_text(&json).ok_or_else(|| {
                            LlmError::InvalidReply("the response holds no answer text".to_owned())
                        })?;
                        return validate(&answer);
                    }
                    let error = LlmError::Status {
                        status: status.as_u16(),
                        message: error_message(&json, &text),
                    };
                    if !retryable(status) {
                        return Err(error);
                    }
                    (error, self.provider.retry_delay(&json))
                }
                Err(e) => (LlmError::Transport(e), None),
            };
            if attempt >= self.max_retries {
                return Err(error);
            }
            let backoff = self.backoff_base.saturating_mul(1 << attempt.min(16));
            tokio::time::sleep(wait.unwrap_or(backoff).min(MAX_RETRY_WAIT)).await;
            attempt += 1;
        }
    }
}

fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

fn error_message(json: &Value, text: &str) -> String {
    json.pointer("/error/message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| text.chars().take(200).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_normalised_to_canonical_classes() {
        let a = validate(
            r#"{"time_complexity":"O(N log N)","space_complexity":"linear","explanation":"sort"}"#,
        )
        .expect("valid");
        assert_eq!(a.time.to_string(), "O(n log n)");
        assert_eq!(a.space.to_string(), "O(n)");
    }

    #[test]
    fn replies_with_unknown_classes_are_rejected() {
        let err =
            validate(r#"{"time_complexity":"fast","space_complexity":"O(1)","explanation":""}"#);
        assert!(matches!(err, Err(LlmError::InvalidReply(_))));
        assert!(matches!(
            validate("not json"),
            Err(LlmError::InvalidReply(_))
        ));
    }
}

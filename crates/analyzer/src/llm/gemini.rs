//! Google Gemini: `POST {base}/v1beta/models/{model}:generateContent`, key in `x-goog-api-key`,
//! JSON output through `generationConfig.responseJsonSchema`; a 429 says how long to wait in
//! the body's `RetryInfo.retryDelay` (e.g. `"3s"`), not in a header.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use super::Provider;

pub struct Gemini {
    base: String,
    model: String,
    key: SecretString,
}

impl Gemini {
    pub fn new(base: String, model: String, key: SecretString) -> Gemini {
        Gemini { base, model, key }
    }
}

impl Provider for Gemini {
    fn url(&self) -> String {
        format!("{}/v1beta/models/{}:generateContent", self.base, self.model)
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        vec![("x-goog-api-key", self.key.expose_secret().to_owned())]
    }

    fn body(&self, system: &str, user: &str, schema: &Value) -> Value {
        json!({
            "systemInstruction": { "parts": [ { "text": system } ] },
            "contents": [ { "role": "user", "parts": [ { "text": user } ] } ],
            "generationConfig": {
                "responseMimeType": "application/json",
                "responseJsonSchema": schema,
                "temperature": 0
            }
        })
    }

    fn answer_text(&self, response: &Value) -> Option<String> {
        let parts = response
            .pointer("/candidates/0/content/parts")?
            .as_array()?;
        let text: String = parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect();
        (!text.is_empty()).then_some(text)
    }

    fn retry_delay(&self, error: &Value) -> Option<Duration> {
        let details = error.pointer("/error/details")?.as_array()?;
        details
            .iter()
            .filter(|d| {
                d.get("@type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.ends_with("RetryInfo"))
            })
            .find_map(|d| d.get("retryDelay").and_then(Value::as_str))
            .and_then(parse_delay)
    }
}

/// `"3s"`, `"1.5s"` → a duration.
fn parse_delay(text: &str) -> Option<Duration> {
    let secs: f64 = text.strip_suffix('s')?.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_info_delays_are_read_from_the_error_body() {
        let g = Gemini::new("http://x".into(), "m".into(), SecretString::from("k"));
        let body = json!({"error": {"code": 429, "details": [
            {"@type": "type.googleapis.com/google.rpc.QuotaFailure"},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"}
        ]}});
        assert_eq!(g.retry_delay(&body), Some(Duration::from_millis(1500)));
        assert_eq!(g.retry_delay(&json!({})), None);
    }

    #[test]
    fn answer_text_joins_all_parts_of_the_first_candidate() {
        let g = Gemini::new("http://x".into(), "m".into(), SecretString::from("k"));
        let body =
            json!({"candidates": [{"content": {"parts": [{"text": "{\"a\":"}, {"text": "1}"}]}}]});
        assert_eq!(g.answer_text(&body).as_deref(), Some("{\"a\":1}"));
    }
}

//! OpenAI-compatible chat completions (OpenAI, Ollama, llama.cpp, vLLM):
//! `POST {base}/v1/chat/completions` with `response_format` of type `json_schema`
//! (llama.cpp reads only `json_schema.schema`), and an optional bearer key.

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use super::Provider;

pub struct OpenAi {
    base: String,
    model: String,
    key: Option<SecretString>,
}

impl OpenAi {
    pub fn new(base: String, model: String, key: Option<SecretString>) -> OpenAi {
        OpenAi { base, model, key }
    }
}

impl Provider for OpenAi {
    fn url(&self) -> String {
        format!("{}/v1/chat/completions", self.base)
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        self.key
            .iter()
            .map(|k| ("authorization", format!("Bearer {}", k.expose_secret())))
            .collect()
    }

    fn body(&self, system: &str, user: &str, schema: &Value) -> Value {
        json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": user }
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": { "name": "complexity_analysis", "strict": true, "schema": schema }
            }
        })
    }

    fn answer_text(&self, response: &Value) -> Option<String> {
        response
            .pointer("/choices/0/message/content")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

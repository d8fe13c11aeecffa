//! A scripted HTTP server on 127.0.0.1:0 that records every request it receives.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use code_remote_analyzer::{LlmConfig, ProviderKind};
use secrecy::SecretString;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

#[derive(Clone, Default)]
struct Script {
    replies: Arc<Mutex<VecDeque<(u16, Value)>>>,
    seen: Arc<Mutex<Vec<Recorded>>>,
}

pub struct MockServer {
    pub base_url: String,
    script: Script,
}

impl MockServer {
    /// Binds first, then serves: the address is ready before the test uses it.
    pub async fn start(replies: Vec<(u16, Value)>) -> MockServer {
        let script = Script::default();
        script.replies.lock().unwrap().extend(replies);
        let app = Router::new().fallback(record).with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        MockServer {
            base_url: format!("http://{addr}"),
            script,
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.script.seen.lock().unwrap().clone()
    }

    pub fn config(&self, provider: ProviderKind, key: Option<&str>) -> LlmConfig {
        LlmConfig {
            provider,
            base_url: self.base_url.clone(),
            model: "test-model".to_owned(),
            api_key: key.map(SecretString::from),
            timeout: Duration::from_secs(5),
            max_retries: 2,
            backoff_base: Duration::from_millis(5),
        }
    }
}

async fn record(
    State(script): State<Script>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    script.seen.lock().unwrap().push(Recorded {
        path: uri.path().to_owned(),
        headers,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    let (status, reply) = script
        .replies
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or((500, Value::Null));
    (StatusCode::from_u16(status).unwrap(), axum::Json(reply))
}

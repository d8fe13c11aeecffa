//! Callback deliveries are durable: the real binary killed with SIGKILL while one delivery waits
//! for a retry and another job (with a callback) still runs, then started again on the same data
//! directory, delivers both, the first under the webhook id it already used.

mod support;

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU16, Ordering},
    },
    time::Duration,
};

use axum::{Router, extract::State, http::HeaderMap, http::StatusCode};
use serde_json::{Value, json};
use support::{Node, register, start, wait_status};

#[derive(Clone, Default)]
struct Receiver {
    /// (webhook-id, execution id) of each request, in order.
    got: Arc<Mutex<Vec<(String, String)>>>,
    status: Arc<AtomicU16>,
}

async fn answer(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let id = headers["webhook-id"].to_str().unwrap().to_owned();
    let body: Value = serde_json::from_str(&body).unwrap();
    let job = body["data"]["id"].as_str().unwrap().to_owned();
    receiver.got.lock().unwrap().push((id, job));
    StatusCode::from_u16(receiver.status.load(Ordering::SeqCst)).unwrap()
}

impl Receiver {
    fn requests_for(&self, job: &str) -> Vec<String> {
        let got = self.got.lock().unwrap();
        got.iter()
            .filter(|(_, j)| j == job)
            .map(|(id, _)| id.clone())
            .collect()
    }

    async fn wait_for(&self, job: &str, count: usize) -> Vec<String> {
        for _ in 0..1200 {
            let ids = self.requests_for(job);
            if ids.len() >= count {
                return ids;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{job}: fewer than {count} deliveries arrived");
    }
}

async fn serve(data_dir: &std::path::Path) -> Node {
    let dir = data_dir.to_str().unwrap();
    start(&[
        "serve",
        "--workers",
        "1",
        "--lease-secs",
        "2",
        "--data-dir",
        dir,
        "--callback-allow-private",
        "--callback-retry-base-ms",
        "1500",
    ])
    .await
}

async fn submit(
    client: &reqwest::Client,
    node: &Node,
    token: &str,
    code: &str,
    url: &str,
) -> String {
    let response = client
        .post(node.url("/api/v1/executions"))
        .bearer_auth(token)
        .json(&json!({"code": code, "callback_url": url}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn deliveries_survive_a_sigkill_and_keep_their_webhook_id() {
    let receiver = Receiver::default();
    receiver.status.store(503, Ordering::SeqCst);
    let app = Router::new().fallback(answer).with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let mut node = serve(dir.path()).await;
    let token = register(&client, &node, "alice").await;
    let response = client
        .post(node.url("/api/v1/webhooks/secret"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    // The first job finishes and its delivery fails once (the receiver answers 503).
    let first = submit(&client, &node, &token, "print(1)", &hook).await;
    let before = receiver.wait_for(&first, 1).await;
    // The second is running when the server dies.
    let code = "import time\nprint('start', flush=True)\ntime.sleep(2)";
    let second = submit(&client, &node, &token, code, &hook).await;
    wait_status(&client, &node, &token, &second, |s| s == "running").await;
    node.kill().await;

    receiver.status.store(200, Ordering::SeqCst);
    let node = serve(dir.path()).await;
    let after = receiver.wait_for(&first, before.len() + 1).await;
    assert!(
        after.iter().all(|id| *id == before[0]),
        "every attempt carries one webhook id: {after:?}"
    );
    receiver.wait_for(&second, 1).await;
    for job in [&first, &second] {
        let deliveries: Vec<Value> = client
            .get(node.url(&format!("/api/v1/executions/{job}/deliveries")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(deliveries.len(), 1, "{deliveries:?}");
        // The state is written right after the answer: poll briefly.
        let mut state = deliveries[0]["state"].clone();
        for _ in 0..100 {
            if state == "delivered" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            let again: Vec<Value> = client
                .get(node.url(&format!("/api/v1/executions/{job}/deliveries")))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            state = again[0]["state"].clone();
        }
        assert_eq!(state, "delivered", "{job}");
    }
    let first_attempts = receiver.requests_for(&first).len();
    assert!(first_attempts >= 2, "retried after the restart");
}

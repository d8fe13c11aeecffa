//! Signed callbacks against a real receiver on this machine: the signature checked with the
//! documented recipe (computed here independently), retries under one webhook id, giving up
//! with the reason, no redirects, refusal of private targets, and Judge0's PUT.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri},
    response::IntoResponse,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::{
    helpers::{Options, TestApp, assert_error, spawn_app_with},
    judge0::api_key,
};

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Received {
    method: Method,
    path: String,
    headers: HeaderMap,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    /// Statuses to answer with, in order; 200 once they run out.
    script: Arc<Mutex<VecDeque<u16>>>,
}

impl Receiver {
    /// Starts a receiver on 127.0.0.1 answering with `script`; returns it and its base URL.
    async fn start(script: &[u16]) -> (Self, String) {
        let receiver = Self {
            script: Arc::new(Mutex::new(script.iter().copied().collect())),
            ..Self::default()
        };
        let app = Router::new().fallback(answer).with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, format!("http://127.0.0.1:{port}"))
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits (bounded) until `count` requests have arrived.
    async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..400 {
            let got = self.got();
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "the receiver got {} requests, not {count}",
            self.got().len()
        );
    }
}

async fn answer(
    State(receiver): State<Receiver>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    receiver.got.lock().unwrap().push(Received {
        method,
        path: uri.path().to_owned(),
        headers,
        body,
    });
    let status = receiver.script.lock().unwrap().pop_front().unwrap_or(200);
    let status = StatusCode::from_u16(status).unwrap();
    let mut headers = HeaderMap::new();
    if status.is_redirection() {
        headers.insert("location", "/elsewhere".parse().unwrap());
    }
    (status, headers, "receiver says no")
}

/// The app with quick retries; `allow_private` lets it call the receiver on 127.0.0.1.
async fn app(allow_private: bool, max_attempts: u32) -> TestApp {
    let mut options = Options::default();
    options.config.callbacks.allow_private = allow_private;
    options.config.callbacks.max_attempts = max_attempts;
    options.config.callbacks.retry_base = Duration::from_millis(50);
    options.config.callbacks.poll = Duration::from_millis(50);
    spawn_app_with(options).await
}

async fn new_secret(app: &TestApp, token: &str) -> String {
    let response = app.post(token, "/api/v1/webhooks/secret", json!({})).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["secret"].as_str().unwrap().to_owned()
}

/// The verification recipe of docs/api.md, written out here rather than shared with the
/// server's code: HMAC-SHA256 keyed with the base64-decoded secret (after `whsec_`) over
/// `id.timestamp.body`, base64, compared with each `v1,` signature of the header.
fn verify(secret: &str, received: &Received) -> bool {
    let header = |name: &str| received.headers[name].to_str().unwrap().to_owned();
    let (id, timestamp) = (header("webhook-id"), header("webhook-timestamp"));
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{}", received.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    header("webhook-signature")
        .split(' ')
        .any(|signature| signature == expected)
}

async fn deliveries(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    let response = app
        .get(token, &format!("/api/v1/executions/{id}/deliveries"))
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Waits (bounded) until the execution's delivery has left `pending`.
async fn settled(app: &TestApp, token: &str, id: &str) -> Value {
    for _ in 0..400 {
        let found = deliveries(app, token, id).await;
        if let Some(delivery) = found.first()
            && delivery["state"] != "pending"
        {
            return delivery.clone();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the delivery of {id} never settled");
}

async fn submit(app: &TestApp, token: &str, callback_url: &str) -> String {
    let response = app
        .post(
            token,
            "/api/v1/executions",
            json!({"code": "print('hi')", "callback_url": callback_url}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["callback_url"], callback_url);
    body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_finished_execution_is_posted_signed_with_the_documented_recipe() {
    let app = app(true, 3).await;
    let token = app.register("alice").await;
    let secret = new_secret(&app, &token).await;
    let (receiver, base) = Receiver::start(&[]).await;
    let id = submit(&app, &token, &format!("{base}/hooks/run")).await;
    let got = receiver.wait_for(1).await;
    let request = &got[0];
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path, "/hooks/run");
    assert_eq!(request.headers["content-type"], "application/json");
    assert!(verify(&secret, request), "the signature verifies");
    let timestamp: i64 = request.headers["webhook-timestamp"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((chrono::Utc::now().timestamp() - timestamp).abs() < 60);
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["type"], "execution.finished");
    assert_eq!(body["data"]["id"], id);
    assert_eq!(body["data"]["stdout"], "hi\n");
    // Another body, or another secret, does not verify.
    let tampered = Received {
        body: request.body.replace("hi", "ho"),
        ..request.clone()
    };
    assert!(!verify(&secret, &tampered));
    let rotated = new_secret(&app, &token).await;
    assert!(!verify(&rotated, request));
    let delivery = settled(&app, &token, &id).await;
    assert_eq!(delivery["state"], "delivered");
    assert_eq!(delivery["attempts"], 1);
    assert_eq!(delivery["last_status"], 200);
    assert_eq!(
        delivery["webhook_id"],
        request.headers["webhook-id"].to_str().unwrap()
    );
}

#[tokio::test]
async fn a_failing_receiver_is_retried_under_the_same_webhook_id() {
    let app = app(true, 5).await;
    let token = app.register("alice").await;
    let secret = new_secret(&app, &token).await;
    let (receiver, base) = Receiver::start(&[500, 503]).await;
    let id = submit(&app, &token, &format!("{base}/hook")).await;
    let got = receiver.wait_for(3).await;
    let ids: Vec<&str> = got
        .iter()
        .map(|r| r.headers["webhook-id"].to_str().unwrap())
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert!(got.iter().all(|request| verify(&secret, request)));
    let delivery = settled(&app, &token, &id).await;
    assert_eq!(delivery["state"], "delivered");
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(receiver.got().len(), 3, "no attempt after the delivery");
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_is_given_up_with_the_reason() {
    let app = app(true, 2).await;
    let token = app.register("alice").await;
    new_secret(&app, &token).await;
    let (receiver, base) = Receiver::start(&[500, 500, 500]).await;
    let id = submit(&app, &token, &format!("{base}/hook")).await;
    let delivery = settled(&app, &token, &id).await;
    assert_eq!(delivery["state"], "failed");
    assert_eq!(delivery["attempts"], 2);
    assert_eq!(delivery["last_status"], 500);
    let error = delivery["last_error"].as_str().unwrap();
    assert!(
        error.contains("500") && error.contains("receiver says no"),
        "{error}"
    );
    assert!(error.contains("gave up after 2 attempts"), "{error}");
    assert_eq!(receiver.got().len(), 2);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let app = app(true, 1).await;
    let token = app.register("alice").await;
    new_secret(&app, &token).await;
    let (receiver, base) = Receiver::start(&[302]).await;
    let id = submit(&app, &token, &format!("{base}/hook")).await;
    let delivery = settled(&app, &token, &id).await;
    assert_eq!(delivery["state"], "failed");
    assert!(
        delivery["last_error"]
            .as_str()
            .unwrap()
            .contains("redirects are not followed")
    );
    let paths: Vec<String> = receiver.got().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/hook"]);
}

#[tokio::test]
async fn private_targets_are_refused_unless_allowed() {
    let app = app(false, 3).await;
    let token = app.register("alice").await;
    new_secret(&app, &token).await;
    let (receiver, base) = Receiver::start(&[]).await;
    // A literal private address is refused at once.
    for url in [
        format!("{base}/hook"),
        "http://10.0.0.1/hook".to_owned(),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://[::1]:9/".to_owned(),
        "http://[fd00::1]/".to_owned(),
        "http://100.64.0.1/".to_owned(),
        "http://[::ffff:127.0.0.1]/".to_owned(),
    ] {
        let response = app
            .post(
                &token,
                "/api/v1/executions",
                json!({"code": "print(1)", "callback_url": url}),
            )
            .await;
        let message = assert_error(response, 422, "validation_failed").await;
        assert!(message.contains("does not call"), "{url}: {message}");
    }
    // A name is checked where it resolves, when the delivery is attempted: it fails for good.
    let port = base.rsplit(':').next().unwrap();
    let id = submit(&app, &token, &format!("http://localhost:{port}/hook")).await;
    let delivery = settled(&app, &token, &id).await;
    assert_eq!(delivery["state"], "failed");
    assert_eq!(delivery["attempts"], 1);
    let error = delivery["last_error"].as_str().unwrap();
    assert!(error.contains("loopback"), "{error}");
    assert!(receiver.got().is_empty(), "nothing reached the receiver");
}

#[tokio::test]
async fn callbacks_need_a_secret_and_a_web_url() {
    let app = app(true, 3).await;
    let token = app.register("alice").await;
    let status: Value = app
        .get(&token, "/api/v1/webhooks/secret")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["configured"], false);
    let body = json!({"code": "print(1)", "callback_url": "http://127.0.0.1:9/hook"});
    let response = app.post(&token, "/api/v1/executions", body.clone()).await;
    let message = assert_error(response, 422, "webhook_secret_missing").await;
    assert!(message.contains("/api/v1/webhooks/secret"), "{message}");
    new_secret(&app, &token).await;
    let status: Value = app
        .get(&token, "/api/v1/webhooks/secret")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["configured"], true);
    assert!(status.get("secret").is_none(), "never shown again");
    for url in ["file:///etc/passwd", "gopher://x/", "not a url"] {
        let response = app
            .post(
                &token,
                "/api/v1/executions",
                json!({"code": "print(1)", "callback_url": url}),
            )
            .await;
        assert_error(response, 422, "validation_failed").await;
    }
    let response = app
        .client
        .delete(app.url("/api/v1/webhooks/secret"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = app.post(&token, "/api/v1/executions", body).await;
    assert_error(response, 422, "webhook_secret_missing").await;
}

#[tokio::test]
async fn a_judge0_submission_is_put_with_judge0s_body() {
    let app = app(true, 3).await;
    let (token, key) = api_key(&app, "alice").await;
    let secret = new_secret(&app, &token).await;
    let (receiver, base) = Receiver::start(&[]).await;
    let response = app
        .client
        .post(app.url("/judge0/submissions"))
        .header("X-Auth-Token", &key)
        .json(
            &json!({"source_code": "print(int(input()) * 2)", "language_id": 71,
            "stdin": "21", "expected_output": "42", "callback_url": format!("{base}/judge0")}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let token_of: Value = response.json().await.unwrap();
    let got = receiver.wait_for(1).await;
    let request = &got[0];
    assert_eq!(request.method, Method::PUT);
    assert!(verify(&secret, request));
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["token"], token_of["token"]);
    assert_eq!(body["status"]["description"], "Accepted");
    assert_eq!(
        body["stdout"],
        STANDARD.encode("42\n"),
        "base64, as Judge0 sends it"
    );
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 8, "Judge0's 8 default fields: {keys:?}");
    // Judge0's own 422 shape for a refused callback.
    let response = app
        .client
        .post(app.url("/judge0/submissions"))
        .header("X-Auth-Token", &key)
        .json(&json!({"source_code": "print(1)", "language_id": 71, "callback_url": "ftp://x/"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let errors: Value = response.json().await.unwrap();
    assert!(errors["callback_url"][0].as_str().unwrap().contains("http"));
}

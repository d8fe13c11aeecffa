//! `spawn_app()`: the real API on port 0 with a fresh SQLite database, real sandboxes and an
//! in-process worker pool.

use std::{
    sync::{Arc, OnceLock},
    time::Duration,
};

use code_remote_analyzer::{Analyzer, AnalyzerConfig};
use code_remote_api::{ApiConfig, AppParts, AppState, RateLimits};
use code_remote_auth::{TokenIssuer, TokenSettings};
use code_remote_core::Limits;
use code_remote_sandbox::{Sandbox, SandboxConfig};
use code_remote_store::Store;
use code_remote_worker::{Pool, WorkerConfig};
use serde_json::{Value, json};

/// One sandbox for the whole test binary: it owns the slots, so concurrent tests share them.
fn sandbox() -> Arc<Sandbox> {
    static SANDBOX: OnceLock<Arc<Sandbox>> = OnceLock::new();
    SANDBOX
        .get_or_init(|| {
            let config = SandboxConfig {
                slots: 8,
                python_env: installed_python_env(),
                ..SandboxConfig::default()
            };
            Arc::new(
                Sandbox::new(config)
                    .expect("the sandbox starts (these tests run as root on Linux)"),
            )
        })
        .clone()
}

/// The scientific environment `scripts/install-python-env` installs (scripts/test runs it
/// first), when it is there.
pub fn installed_python_env() -> Option<std::path::PathBuf> {
    let env = std::path::Path::new(code_remote_sandbox::DEFAULT_PYTHON_ENV);
    env.join("STAMP").exists().then(|| env.to_path_buf())
}

/// The key the test apps sign their tokens with (tests forge tokens with it).
pub const TEST_SIGNING_KEY: &[u8] = &[42u8; 64];

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub store: Store,
    cpu_seconds_per_user_per_day: Option<u64>,
    /// The app's state, for looking at its limiters.
    pub state: AppState,
    _pool: Option<Pool>,
    _dir: tempfile::TempDir,
}

pub struct Options {
    pub workers: usize,
    pub config: ApiConfig,
}

impl Default for Options {
    fn default() -> Self {
        let max_limits = Limits {
            time_limit_ms: 10_000,
            ..Limits::default()
        };
        Self {
            workers: 2,
            config: ApiConfig {
                default_limits: Limits {
                    time_limit_ms: 5_000,
                    ..Limits::default()
                },
                max_limits,
                // Tests poll quickly; the rate-limit tests set their own limits.
                rate_limits: RateLimits {
                    user_requests_per_second: 1000,
                    user_burst: 1000,
                    ip_requests_per_second: 10_000,
                    ip_burst: 10_000,
                    registrations_per_hour_per_ip: 10_000,
                    ..RateLimits::default()
                },
                ..ApiConfig::default()
            },
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("db.sqlite").display()
    ))
    .await
    .unwrap();
    let tokens = TokenIssuer::new(&TEST_SIGNING_KEY.to_vec().into(), TokenSettings::default());
    let analyzer = Analyzer::new(AnalyzerConfig::default()).unwrap();
    let quota = options.config.rate_limits.cpu_seconds_per_user_per_day;
    let state = AppState::new(AppParts {
        store: store.clone(),
        tokens,
        config: options.config,
        analyzer,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    let app = code_remote_api::app(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let pool = (options.workers > 0).then(|| start_workers(&store, quota, options.workers));
    TestApp {
        address,
        client: reqwest::Client::new(),
        store,
        cpu_seconds_per_user_per_day: quota,
        state,
        _pool: pool,
        _dir: dir,
    }
}

/// Workers on `store`, with the same daily CPU quota as the API.
fn start_workers(store: &Store, cpu_seconds_per_user_per_day: Option<u64>, count: usize) -> Pool {
    let config = WorkerConfig {
        node_id: "test".into(),
        lease: Duration::from_secs(5),
        heartbeat: Duration::from_millis(500),
        idle_poll: Duration::from_millis(200),
        cpu_seconds_per_user_per_day,
        ..WorkerConfig::default()
    };
    Pool::start(store.clone(), sandbox(), config, count)
}

impl TestApp {
    /// Workers of another node on the app's database, as `code-remote worker` runs them beside
    /// an API-only node (`workers: 0`).
    pub fn start_workers(&self, count: usize) -> Pool {
        start_workers(&self.store, self.cpu_seconds_per_user_per_day, count)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub fn ws_url(&self, token: &str) -> String {
        format!("ws://{}/api/v1/ws?token={token}", self.address)
    }

    /// Registers a user and returns its access token.
    pub async fn register(&self, username: &str) -> String {
        let body = json!({ "username": username, "password": "a long enough password" });
        let response = self.post_anonymous("/api/v1/auth/register", body).await;
        assert_eq!(response.status(), 201, "registering {username}");
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// A POST without credentials (register, login, refresh).
    pub async fn post_anonymous(&self, path: &str, body: Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Runs a program and waits for the result.
    pub async fn run(&self, token: &str, body: Value) -> Value {
        let response = self.post(token, "/api/v1/executions?wait=true", body).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Polls an execution until it reaches a terminal status (bounded).
    pub async fn wait_terminal(&self, token: &str, id: &str) -> Value {
        for _ in 0..600 {
            let execution: Value = self
                .get(token, &format!("/api/v1/executions/{id}"))
                .await
                .json()
                .await
                .unwrap();
            if !["queued", "running"].contains(&execution["status"].as_str().unwrap()) {
                return execution;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("execution {id} did not finish within 30 s");
    }

    /// Polls an execution until it has the given status (bounded).
    pub async fn wait_status(&self, token: &str, id: &str, status: &str) {
        for _ in 0..600 {
            let execution: Value = self
                .get(token, &format!("/api/v1/executions/{id}"))
                .await
                .json()
                .await
                .unwrap();
            if execution["status"] == status {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("execution {id} never reached {status}");
    }
}

/// Asserts the error body shape and code, returning the message.
pub async fn assert_error(response: reqwest::Response, status: u16, code: &str) -> String {
    assert_eq!(response.status().as_u16(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "{body}");
    body["error"]["message"].as_str().unwrap().to_owned()
}

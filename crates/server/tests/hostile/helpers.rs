//! A real server process per test, its memory, and an honest user to check it still serves.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering},
    },
    time::Duration,
};

use serde_json::{Value, json};

use crate::support::{Node, rss_kib, start};

/// Sandbox uids of the servers this test binary starts, away from the default 60000 range and
/// from the other test binaries' ranges.
static NEXT_UID_BLOCK: AtomicU32 = AtomicU32::new(0);

pub struct Server {
    node: Node,
    _data: tempfile::TempDir,
}

impl std::ops::Deref for Server {
    type Target = Node;

    fn deref(&self) -> &Node {
        &self.node
    }
}

impl Server {
    /// `code-remote serve` with one in-process worker, SQLite in a fresh directory, the generic
    /// request limits off (each test turns on what it attacks) and `extra` options.
    pub async fn start(extra: &[&str]) -> Server {
        let data = tempfile::tempdir().unwrap();
        let block = NEXT_UID_BLOCK.fetch_add(1, Ordering::Relaxed);
        let uid_base = (66_000 + (std::process::id() % 100) * 40 + block * 2).to_string();
        let mut args = vec![
            "serve",
            "--workers",
            "1",
            "--uid-base",
            &uid_base,
            "--user-requests-per-second",
            "0",
            "--ip-requests-per-second",
            "0",
            // Every test client signs up from 127.0.0.1.
            "--registrations-per-hour-per-ip",
            "10000",
            "--data-dir",
            data.path().to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        Server {
            node: start(&args).await,
            _data: data,
        }
    }

    pub fn pid(&self) -> u32 {
        self.node.child.id().expect("the server is running")
    }

    /// Samples the server's resident memory every 20 ms until the returned watch is finished.
    pub fn watch_memory(&self) -> MemoryWatch {
        let pid = self.pid();
        let baseline = rss_kib(pid);
        let peak = Arc::new(AtomicU64::new(baseline));
        let stop = Arc::new(AtomicBool::new(false));
        let task = {
            let (peak, stop) = (peak.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        };
        MemoryWatch {
            pid,
            baseline,
            peak,
            stop,
            task,
        }
    }
}

/// The server's memory while an attack runs.
pub struct MemoryWatch {
    pid: u32,
    baseline: u64,
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl MemoryWatch {
    /// Stops sampling and asserts that the peak stayed within `bound_mib` of the baseline;
    /// prints the figures either way.
    pub async fn assert_growth_below(self, what: &str, bound_mib: u64) {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.unwrap();
        let peak = self.peak.load(Ordering::Relaxed).max(rss_kib(self.pid));
        let growth = peak.saturating_sub(self.baseline);
        eprintln!(
            "{what}: server RSS {} MiB before, {} MiB at peak (+{:.1} MiB; bound {bound_mib} MiB)",
            self.baseline / 1024,
            peak / 1024,
            growth as f64 / 1024.0
        );
        assert!(
            growth < bound_mib * 1024,
            "{what}: the server grew by {growth} KiB, more than {bound_mib} MiB"
        );
    }
}

/// A client with no connection pool surprises: each test's honest user gets its own.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Registers `name` and returns its access token.
pub async fn register(client: &reqwest::Client, server: &Server, name: &str) -> String {
    let response = client
        .post(server.url("/api/v1/auth/register"))
        .json(&json!({"username": name, "password": "a long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "registering {name}");
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// The honest user's check: a hello world through `?wait=true` succeeds.
pub async fn assert_still_served(client: &reqwest::Client, server: &Server, token: &str) {
    let response = client
        .post(server.url("/api/v1/executions?wait=true"))
        .bearer_auth(token)
        .json(&json!({"code": "print('still here')"}))
        .send()
        .await
        .expect("the honest user's request is answered");
    assert_eq!(response.status(), 200);
    let execution: Value = response.json().await.unwrap();
    assert_eq!(execution["status"], "succeeded", "{execution}");
    assert_eq!(execution["stdout"], "still here\n");
}

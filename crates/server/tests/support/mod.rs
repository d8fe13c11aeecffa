//! Real `code-remote` processes for the multi-process tests: start one, find its address, and
//! talk to it as a client would.

#![allow(dead_code)] // each test binary uses its own part

use std::{process::Stdio, time::Duration};

use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

pub struct Node {
    pub child: Child,
    pub address: String,
}

/// Starts the binary with `args` on a free port and waits for the line that gives its address.
pub async fn start(args: &[&str]) -> Node {
    spawn(args, &["--listen", "127.0.0.1:0"]).await
}

/// Starts a worker node with its defaults (no probe port) and waits until it runs.
pub async fn start_worker(args: &[&str]) -> Node {
    spawn(args, &[]).await
}

async fn spawn(args: &[&str], listen: &[&str]) -> Node {
    let mut child = Command::new(env!("CARGO_BIN_EXE_code-remote"))
        .args(args)
        .args(listen)
        .args(["--log", "warn"])
        .env_clear()
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.split("http://").nth(1) {
                return url.trim().to_owned();
            }
            if line.contains("worker is running") {
                return String::new();
            }
        }
        panic!("a node exited before it was ready");
    })
    .await
    .expect("the node starts within 60 s");
    Node { child, address }
}

impl Node {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// SIGKILL, and wait for the process to be gone.
    pub async fn kill(&mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}

/// A fresh database on the test server; the caller drops it with [`drop_database`].
pub async fn fresh_database(admin_url: &str, prefix: &str) -> (String, String) {
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(admin_url)
        .await
        .expect("TEST_DATABASE_URL is reachable");
    admin
        .execute(format!("create database {name}").as_str())
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    (name.clone(), format!("{base}/{name}"))
}

pub async fn drop_database(admin_url: &str, name: &str) {
    let mut admin = PgConnection::connect(admin_url).await.unwrap();
    let _ = admin
        .execute(format!("drop database if exists {name} with (force)").as_str())
        .await;
}

/// A scratch PostgreSQL database with what the nodes of one test share (its JWT key and data
/// directory); `None`, with a notice, without `TEST_DATABASE_URL`.
pub struct Cluster {
    admin_url: String,
    name: String,
    pub url: String,
    dir: tempfile::TempDir,
}

impl Cluster {
    pub async fn create(prefix: &str) -> Option<Cluster> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("SKIPPED: set TEST_DATABASE_URL to run the {prefix} multi-process test");
            return None;
        };
        let (name, url) = fresh_database(&admin_url, prefix).await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("jwt.key"),
            "c2hhcmVkIGtleSBmb3IgdGhlIGNsdXN0ZXIgdGVzdCwgbG9uZyBlbm91Z2ggdG8gcGFzcw==",
        )
        .unwrap();
        Some(Cluster {
            admin_url,
            name,
            url,
            dir,
        })
    }

    /// An API-only node (`serve --workers 0`) with the generic rate limits off, for tests that
    /// send many requests from one address on purpose.
    pub async fn api(&self) -> Node {
        let key = self.dir.path().join("jwt.key");
        start(&[
            "serve",
            "--workers",
            "0",
            "--database-url",
            &self.url,
            "--jwt-key-file",
            key.to_str().unwrap(),
            "--data-dir",
            self.dir.path().to_str().unwrap(),
            "--user-requests-per-second",
            "0",
            "--ip-requests-per-second",
            "0",
            "--max-queued-per-user",
            "1000",
            "--registrations-per-hour-per-ip",
            "10000",
        ])
        .await
    }

    /// A worker node with two slots and a 2 s lease, so a killed one's jobs move on quickly.
    pub async fn worker(&self) -> Node {
        start(&[
            "worker",
            "--database-url",
            &self.url,
            "--workers",
            "2",
            "--lease-secs",
            "2",
        ])
        .await
    }

    /// Waits until no job is queued or running, then checks that none finished twice.
    pub async fn drain(&self, db: &mut PgConnection, patience: Duration) {
        let deadline = std::time::Instant::now() + patience;
        loop {
            let open: i64 = sqlx::query_scalar(
                "select count(*) from jobs where status in ('queued', 'running')",
            )
            .fetch_one(&mut *db)
            .await
            .unwrap();
            if open == 0 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{open} jobs never finished"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let twice: i64 = sqlx::query_scalar(
            "select count(*) from (select job_id from job_events where body like '%\"type\":\"finished\"%' group by job_id having count(*) > 1) t",
        )
        .fetch_one(&mut *db)
        .await
        .unwrap();
        assert_eq!(twice, 0, "no job finished twice");
    }

    /// The database server ends every session of the nodes (as a failover or a restart would).
    pub async fn reset_connections(&self) {
        let mut admin = PgConnection::connect(&self.admin_url).await.unwrap();
        let ended: Vec<bool> = sqlx::query_scalar(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        )
        .bind(&self.name)
        .fetch_all(&mut admin)
        .await
        .unwrap();
        eprintln!("reset {} database connections", ended.len());
        assert!(!ended.is_empty());
    }

    pub async fn drop_database(self) {
        drop_database(&self.admin_url, &self.name).await;
    }
}

/// Registers `name` and returns its access token.
pub async fn register(client: &reqwest::Client, api: &Node, name: &str) -> String {
    let response = client
        .post(api.url("/api/v1/auth/register"))
        .json(&json!({"username": name, "password": "a long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Polls a job until `done(status)`, for at most a minute, and returns it.
pub async fn wait_status(
    client: &reqwest::Client,
    node: &Node,
    token: &str,
    id: &str,
    done: impl Fn(&str) -> bool,
) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let execution: Value = client
            .get(node.url(&format!("/api/v1/executions/{id}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if done(execution["status"].as_str().unwrap_or("")) {
            return execution;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "job {id} did not get there: {execution}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Polls a job until it has finished, whichever way, and returns it.
pub async fn wait_finished(client: &reqwest::Client, node: &Node, token: &str, id: &str) -> Value {
    wait_status(client, node, token, id, |status| {
        status != "queued" && status != "running"
    })
    .await
}

/// Resident memory of a process, in KiB (0 once it is gone).
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Submits `code` and returns the job id; panics unless the answer is 202.
pub async fn submit(client: &reqwest::Client, api: &Node, token: &str, code: &str) -> String {
    let response = client
        .post(api.url("/api/v1/executions"))
        .bearer_auth(token)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

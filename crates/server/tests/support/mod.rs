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

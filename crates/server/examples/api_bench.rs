//! Benchmark: hello-world runs through `POST /api/v1/executions?wait=true` on the real server,
//! at concurrency 1, 8 and 32, beside the sandbox alone; how fast a job id comes back; and the
//! idle server's memory. Prints figures; asserts nothing.
//!
//! `cargo build --release -p code-remote && cargo run --release -p code-remote --example api_bench`
//! (as root, like the server). Optional argument: the binary (default `target/release/code-remote`).
//! With `BENCH_DATABASE_URL=postgres://…` it also measures an API-only node with one, then two,
//! worker processes sharing that PostgreSQL database (use a scratch database: it is filled).

use std::{
    process::Stdio,
    sync::Arc,
    time::{Duration, Instant},
};

use code_remote_sandbox::{Limits, Program, Sandbox, SandboxConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

const HELLO: &str = "print('hello, world')";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn summary(label: &str, mut samples: Vec<Duration>, elapsed: Duration) {
    samples.sort();
    println!(
        "{label:<34} n={:<4} p50={:>7.1} ms  p99={:>7.1} ms  {:>6.1} runs/s",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.len() as f64 / elapsed.as_secs_f64()
    );
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn token(client: &reqwest::Client, base: &str, name: &str) -> String {
    let body: Value = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"username": name, "password": "benchmark password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

async fn wait_runs(
    client: &reqwest::Client,
    base: &str,
    tokens: &[String],
    per_client: usize,
) -> (Vec<Duration>, Vec<Duration>, Duration) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for token in tokens {
        let (client, base, token) = (client.clone(), base.to_owned(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            for _ in 0..per_client {
                let t = Instant::now();
                let response = client
                    .post(format!("{base}/api/v1/executions?wait=true"))
                    .bearer_auth(&token)
                    .json(&json!({"code": HELLO}))
                    .send()
                    .await
                    .unwrap();
                let body: Value = response.json().await.unwrap();
                let latency = t.elapsed();
                assert_eq!(body["status"], "succeeded", "{body}");
                samples.push((latency, latency.saturating_sub(worker_time(&body))));
            }
            samples
        }));
    }
    let (mut latencies, mut overheads) = (Vec::new(), Vec::new());
    for task in tasks {
        for (latency, overhead) in task.await.unwrap() {
            latencies.push(latency);
            overheads.push(overhead);
        }
    }
    (latencies, overheads, started.elapsed())
}

/// How long the worker held the job (claim to stored result): everything else in a request's
/// latency is the API, the queue and the event path.
fn worker_time(execution: &Value) -> Duration {
    let at = |field: &str| {
        chrono::DateTime::parse_from_rfc3339(execution[field].as_str().unwrap()).unwrap()
    };
    (at("finished_at") - at("started_at"))
        .to_std()
        .unwrap_or_default()
}

/// Hello-world runs straight through the sandbox, with `warm` sandboxes prepared ahead (the
/// server keeps one per worker).
fn sandbox_only(runs: usize, warm: usize) -> Vec<Duration> {
    let sandbox = Arc::new(
        Sandbox::new(SandboxConfig {
            warm,
            ..SandboxConfig::default()
        })
        .expect("sandbox"),
    );
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            let prepared = sandbox.prepare().unwrap();
            let program = Program {
                code: HELLO.as_bytes().to_vec(),
                stdin: Vec::new(),
                interactive_stdin: false,
                limits: Limits::default(),
            };
            prepared.run(program, None, &mut |_, _| {}).unwrap();
            t.elapsed()
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let binary = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/release/code-remote".into());
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let serve = [
        "serve",
        "--data-dir",
        dir,
        "--ip-requests-per-second",
        "0",
        "--user-requests-per-second",
        "0",
        "--max-queued-per-user",
        "100000",
    ];
    let (mut child, base) = start(&binary, &serve).await;
    let pid = child.id().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!("idle server RSS: {:.1} MB", rss_kib(pid) as f64 / 1024.0);

    let cold = sandbox_only(30, 0);
    summary("sandbox only, cold", cold.clone(), cold.iter().sum());
    let warm = sandbox_only(30, 2);
    summary(
        "sandbox only, 2 kept warm (as serve)",
        warm.clone(),
        warm.iter().sum(),
    );

    let client = reqwest::Client::new();
    let submitter = token(&client, &base, "submitter").await;
    let mut submits = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        let response = client
            .post(format!("{base}/api/v1/executions"))
            .bearer_auth(&submitter)
            .json(&json!({"code": HELLO}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
        submits.push(t.elapsed());
    }
    summary(
        "POST /executions → 202 (job id)",
        submits.clone(),
        submits.iter().sum(),
    );
    // Let the queued jobs drain before measuring runs.
    let drain: Value = client
        .post(format!("{base}/api/v1/executions?wait=true"))
        .bearer_auth(&submitter)
        .json(&json!({"code": HELLO}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(drain["status"], "succeeded");

    for concurrency in [1usize, 8, 32] {
        let mut tokens = Vec::new();
        for i in 0..concurrency {
            tokens.push(token(&client, &base, &format!("c{concurrency}u{i}")).await);
        }
        let per_client = (64 / concurrency).max(4);
        let (samples, overheads, elapsed) = wait_runs(&client, &base, &tokens, per_client).await;
        summary(
            &format!("wait=true, concurrency {concurrency}"),
            samples,
            elapsed,
        );
        if concurrency == 1 {
            summary("  of which API + queue + events", overheads, elapsed);
        }
    }
    println!(
        "server RSS after the runs: {:.1} MB",
        rss_kib(pid) as f64 / 1024.0
    );
    child.kill().await.ok();

    match std::env::var("BENCH_DATABASE_URL") {
        Ok(url) => cluster(&binary, &url).await,
        Err(_) => println!("(set BENCH_DATABASE_URL to measure worker processes on PostgreSQL)"),
    }
}

async fn start(binary: &str, args: &[&str]) -> (tokio::process::Child, String) {
    let mut child = tokio::process::Command::new(binary)
        .args(args)
        .args(["--listen", "127.0.0.1:0", "--log", "warn"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start the binary");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next_line().await.unwrap().expect("node output");
        if let Some(address) = line.split("http://").nth(1) {
            break format!("http://{}", address.trim());
        }
    };
    (child, address)
}

/// Hello-world runs per second through an API-only node with one, then two, worker processes
/// (two workers each).
async fn cluster(binary: &str, url: &str) {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let api_args = [
        "serve",
        "--workers",
        "0",
        "--database-url",
        url,
        "--data-dir",
        dir,
        "--ip-requests-per-second",
        "0",
        "--user-requests-per-second",
        "0",
        "--max-queued-per-user",
        "100000",
    ];
    let (_api, base) = start(binary, &api_args).await;
    let worker_args = ["worker", "--database-url", url, "--workers", "2"];
    let client = reqwest::Client::new();
    let mut tokens = Vec::new();
    for i in 0..16 {
        tokens.push(
            token(
                &client,
                &base,
                &format!("cluster{}u{i}", std::process::id()),
            )
            .await,
        );
    }
    let mut workers = Vec::new();
    for count in 1..=2 {
        workers.push(start(binary, &worker_args).await);
        let (samples, _, elapsed) = wait_runs(&client, &base, &tokens, 8).await;
        summary(
            &format!("PostgreSQL, {count} worker process(es)"),
            samples,
            elapsed,
        );
    }
}

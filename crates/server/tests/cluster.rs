//! Several machines on one PostgreSQL: two API processes and two worker processes. 300 jobs go
//! in through both APIs, one worker is SIGKILLed while jobs run, and every job still reaches
//! exactly one terminal state, visible through both APIs; a WebSocket client on one API node
//! receives the live output of a job run by a worker behind the other.
//!
//! Needs `TEST_DATABASE_URL` (CI sets it); without it the test says so and does nothing.

use std::{process::Stdio, time::Duration};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};
use tokio_tungstenite::tungstenite::Message;

const JOBS: usize = 300;
const USERS: usize = 20;

struct Node {
    child: Child,
    address: String,
}

async fn start(args: &[&str]) -> Node {
    let mut child = Command::new(env!("CARGO_BIN_EXE_code-remote"))
        .args(args)
        .args(["--listen", "127.0.0.1:0", "--log", "warn"])
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
        }
        panic!("a node exited before listening");
    })
    .await
    .expect("the node starts within 60 s");
    Node { child, address }
}

/// A fresh database on the test server, dropped by the caller.
async fn fresh_database(admin_url: &str) -> (String, String) {
    let name = format!("cr_cluster_{}", uuid::Uuid::new_v4().simple());
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

async fn register(client: &reqwest::Client, api: &Node, name: &str) -> String {
    let response = client
        .post(format!("http://{}/api/v1/auth/register", api.address))
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

async fn submit(client: &reqwest::Client, api: &Node, token: &str, code: &str) -> String {
    let response = client
        .post(format!("http://{}/api/v1/executions", api.address))
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

#[tokio::test]
async fn jobs_survive_a_killed_worker_and_events_cross_api_nodes() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("SKIPPED: set TEST_DATABASE_URL to run the multi-process PostgreSQL test");
        return;
    };
    let (name, url) = fresh_database(&admin_url).await;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("jwt.key");
    std::fs::write(
        &key,
        "c2hhcmVkIGtleSBmb3IgdGhlIGNsdXN0ZXIgdGVzdCwgbG9uZyBlbm91Z2ggdG8gcGFzcw==",
    )
    .unwrap();
    let data = dir.path().to_str().unwrap();
    let api_args = [
        "serve",
        "--workers",
        "0",
        "--database-url",
        &url,
        "--jwt-key-file",
        key.to_str().unwrap(),
        "--data-dir",
        data,
        "--user-requests-per-second",
        "0",
        "--ip-requests-per-second",
        "0",
        "--max-queued-per-user",
        "1000",
    ];
    let api = [start(&api_args).await, start(&api_args).await];
    let worker_args = [
        "worker",
        "--database-url",
        &url,
        "--workers",
        "2",
        "--lease-secs",
        "2",
    ];
    let mut workers = [start(&worker_args).await, start(&worker_args).await];

    let client = reqwest::Client::new();
    let mut tokens = Vec::new();
    for user in 0..USERS {
        tokens.push(register(&client, &api[user % 2], &format!("user{user}")).await);
    }

    // A job submitted through API 0, watched live from API 1.
    let live_code =
        "import time\nfor i in range(3):\n    print('tick', i, flush=True)\n    time.sleep(0.3)";
    let live = submit(&client, &api[0], &tokens[0], live_code).await;
    let ws_url = format!("ws://{}/api/v1/ws?token={}", api[1].address, tokens[0]);
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_url).await.unwrap();
    socket
        .send(Message::Text(
            json!({"type": "subscribe", "job_id": live})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();

    let mut jobs = Vec::new();
    for i in 0..JOBS {
        let user = i % USERS;
        let code = format!("import time\ntime.sleep(0.05)\nprint('job {i}')");
        jobs.push((
            submit(&client, &api[i % 2], &tokens[user], &code).await,
            user,
            i,
        ));
    }

    let mut events = Vec::new();
    while let Some(Ok(message)) = tokio::time::timeout(Duration::from_secs(60), socket.next())
        .await
        .expect("live events arrive")
    {
        if let Message::Text(text) = message {
            let event: Value = serde_json::from_str(&text).unwrap();
            let done = event["type"] == "finished";
            events.push(event);
            if done {
                break;
            }
        }
    }
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in order: {seqs:?}");
    let ticks: String = events
        .iter()
        .filter(|e| e["type"] == "output")
        .map(|e| e["data"].as_str().unwrap())
        .collect();
    assert!(ticks.contains("tick 0\ntick 1\ntick 2\n"), "{ticks:?}");

    // Kill one worker while jobs run.
    let mut db = PgConnection::connect(&url).await.unwrap();
    for _ in 0..400 {
        let running: i64 = sqlx::query_scalar("select count(*) from jobs where status = 'running'")
            .fetch_one(&mut db)
            .await
            .unwrap();
        if running > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    workers[0].child.start_kill().unwrap();
    workers[0].child.wait().await.unwrap();

    for _ in 0..1200 {
        let open: i64 =
            sqlx::query_scalar("select count(*) from jobs where status in ('queued', 'running')")
                .fetch_one(&mut db)
                .await
                .unwrap();
        if open == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let twice: i64 = sqlx::query_scalar(
        "select count(*) from (select job_id from job_events where body like '%\"type\":\"finished\"%' group by job_id having count(*) > 1) t",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(twice, 0, "no job finished twice");
    let retried: i64 = sqlx::query_scalar("select count(*) from jobs where attempts > 1")
        .fetch_one(&mut db)
        .await
        .unwrap();
    eprintln!("jobs retried after the worker was killed: {retried}");

    for (id, user, i) in &jobs {
        for node in &api {
            let execution: Value = client
                .get(format!("http://{}/api/v1/executions/{id}", node.address))
                .bearer_auth(&tokens[*user])
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(execution["status"], "succeeded", "{execution}");
            assert_eq!(execution["stdout"], format!("job {i}\n"));
        }
    }

    drop(workers);
    drop(api);
    drop(db);
    let mut admin = PgConnection::connect(&admin_url).await.unwrap();
    let _ = admin
        .execute(format!("drop database if exists {name} with (force)").as_str())
        .await;
}

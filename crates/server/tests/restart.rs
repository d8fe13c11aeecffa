//! The real binary, killed with SIGKILL while jobs are queued and running, then started again
//! on the same data directory: every job still finishes, exactly once.

use std::{process::Stdio, time::Duration};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};
use tokio_tungstenite::tungstenite::Message;

struct Server {
    child: Child,
    address: String,
}

/// Starts `code-remote serve` on a free port and waits for the line that gives its address.
async fn start(data_dir: &std::path::Path) -> Server {
    start_with(data_dir, &["--workers", "1"]).await
}

async fn start_with(data_dir: &std::path::Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_code-remote"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--lease-secs",
            "2",
            "--log",
            "warn",
        ])
        .args(extra)
        .arg("--data-dir")
        .arg(data_dir)
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
        panic!("the server exited before listening");
    })
    .await
    .expect("the server listens within 60 s");
    Server { child, address }
}

async fn execution(client: &reqwest::Client, server: &Server, token: &str, id: &str) -> Value {
    let url = format!("http://{}/api/v1/executions/{id}", server.address);
    client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Counts the `finished` events a late subscriber receives for a job.
async fn finished_events(server: &Server, token: &str, id: &str) -> usize {
    let url = format!("ws://{}/api/v1/ws?token={token}", server.address);
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    socket
        .send(Message::Text(
            json!({"type": "subscribe", "job_id": id})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let mut finished = 0;
    // After the first `finished`, anything more would arrive at once; wait briefly for it.
    let mut wait = Duration::from_secs(20);
    while let Ok(Some(Ok(message))) = tokio::time::timeout(wait, socket.next()).await {
        if let Message::Text(text) = message {
            let event: Value = serde_json::from_str(&text).unwrap();
            if event["type"] == "finished" {
                finished += 1;
                wait = Duration::from_millis(500);
            }
        }
    }
    finished
}

#[tokio::test]
async fn after_a_sigkill_and_restart_every_job_finishes_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let mut server = start(dir.path()).await;
    let register = client
        .post(format!("http://{}/api/v1/auth/register", server.address))
        .json(&json!({"username": "alice", "password": "a long enough password"}))
        .send()
        .await
        .unwrap();
    let token = register.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut ids = Vec::new();
    for i in 0..4 {
        let code =
            format!("import time\nprint('start {i}', flush=True)\ntime.sleep(1)\nprint('end {i}')");
        let response = client
            .post(format!("http://{}/api/v1/executions", server.address))
            .bearer_auth(&token)
            .json(&json!({ "code": code }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
        ids.push(
            response.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // Kill while the first job runs and the others wait.
    for _ in 0..400 {
        if execution(&client, &server, &token, &ids[0]).await["status"] == "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        execution(&client, &server, &token, &ids[0]).await["status"],
        "running"
    );
    server.child.start_kill().unwrap();
    server.child.wait().await.unwrap();

    let server = start(dir.path()).await;
    for id in &ids {
        let mut done = Value::Null;
        for _ in 0..1200 {
            done = execution(&client, &server, &token, id).await;
            if !["queued", "running"].contains(&done["status"].as_str().unwrap()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(done["status"], "succeeded", "{done}");
        assert!(done["stdout"].as_str().unwrap().ends_with("\n"), "{done}");
        assert_eq!(
            finished_events(&server, &token, id).await,
            1,
            "job {id} finished exactly once"
        );
    }
    let first = execution(&client, &server, &token, &ids[0]).await;
    assert_eq!(
        first["attempts"], 2,
        "the interrupted job ran again after its lease expired"
    );
}

#[tokio::test]
async fn sigterm_lets_the_running_job_finish_and_leaves_the_rest_queued() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let mut server = start_with(
        dir.path(),
        &["--workers", "1", "--shutdown-grace-secs", "20"],
    )
    .await;
    let register = client
        .post(format!("http://{}/api/v1/auth/register", server.address))
        .json(&json!({"username": "alice", "password": "a long enough password"}))
        .send()
        .await
        .unwrap();
    let token = register.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ids = Vec::new();
    for code in [
        "import time\nprint('first', flush=True)\ntime.sleep(1.5)\nprint('done')",
        "print('second')",
        "print('third')",
    ] {
        let response = client
            .post(format!("http://{}/api/v1/executions", server.address))
            .bearer_auth(&token)
            .json(&json!({ "code": code }))
            .send()
            .await
            .unwrap();
        ids.push(
            response.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    for _ in 0..400 {
        if execution(&client, &server, &token, &ids[0]).await["status"] == "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let pid = nix::unistd::Pid::from_raw(server.child.id().unwrap() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), server.child.wait())
        .await
        .expect("exits within the grace period")
        .unwrap();
    assert!(status.success(), "a graceful stop exits 0: {status}");

    // Look at the jobs with a node that runs nothing.
    let server = start_with(dir.path(), &["--workers", "0"]).await;
    let first = execution(&client, &server, &token, &ids[0]).await;
    assert_eq!(first["status"], "succeeded", "{first}");
    assert_eq!(first["stdout"], "first\ndone\n");
    for id in &ids[1..] {
        let queued = execution(&client, &server, &token, id).await;
        assert_eq!(queued["status"], "queued", "{queued}");
        assert_eq!(queued["attempts"], 0);
    }
}

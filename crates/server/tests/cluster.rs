//! Several machines on one PostgreSQL: two API processes and two worker processes. 300 jobs go
//! in through both APIs, one worker is SIGKILLed while jobs run, and every job still reaches
//! exactly one terminal state, visible through both APIs; a WebSocket client on one API node
//! receives the live output of a job run by a worker behind the other.
//!
//! Needs `TEST_DATABASE_URL` (CI sets it); without it the test says so and does nothing.

mod support;

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};
use support::{Cluster, register, submit};
use tokio_tungstenite::tungstenite::Message;

const JOBS: usize = 300;
const USERS: usize = 20;

#[tokio::test]
async fn jobs_survive_a_killed_worker_and_events_cross_api_nodes() {
    let Some(cluster) = Cluster::create("cr_cluster").await else {
        return;
    };
    let api = [cluster.api().await, cluster.api().await];
    let mut workers = [cluster.worker().await, cluster.worker().await];

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
    let mut db = PgConnection::connect(&cluster.url).await.unwrap();
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
    workers[0].kill().await;

    cluster.drain(&mut db, Duration::from_secs(120)).await;
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
    cluster.drop_database().await;
}

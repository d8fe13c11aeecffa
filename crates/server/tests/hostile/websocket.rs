//! Attacks over the WebSocket: a stdin flood to a program that never reads, and a storm of
//! re-subscriptions to a finished job with a large output from a client that never reads.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    helpers::{Server, assert_still_served, client, register},
    support::wait_status,
};

async fn submit(http: &reqwest::Client, server: &Server, token: &str, body: Value) -> String {
    let response = http
        .post(server.url("/api/v1/executions"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let execution: Value = response.json().await.unwrap();
    execution["id"].as_str().unwrap().to_owned()
}

fn ws_url(server: &Server, token: &str) -> String {
    format!("ws://{}/api/v1/ws?token={token}", server.address)
}

#[tokio::test]
async fn a_stdin_flood_to_a_program_that_never_reads_is_refused_not_buffered() {
    const MESSAGES: usize = 2000;
    let server = Server::start(&["--workers", "2"]).await;
    let http = client();
    let attacker = register(&http, &server, "flooder").await;
    let honest = register(&http, &server, "honest").await;
    let job = submit(
        &http,
        &server,
        &attacker,
        json!({"code": "import time\ntime.sleep(6)", "interactive": true}),
    )
    .await;
    wait_status(&http, &server, &attacker, &job, |status| {
        status == "running"
    })
    .await;
    let (socket, _) = tokio_tungstenite::connect_async(ws_url(&server, &attacker))
        .await
        .unwrap();
    let (mut sink, mut incoming) = socket.split();
    // The replies (errors) are read and counted, so the server is never blocked on us.
    let replies = tokio::spawn(async move {
        let mut codes = std::collections::BTreeMap::<String, usize>::new();
        while let Some(Ok(message)) = incoming.next().await {
            if let Message::Text(text) = message {
                let reply: Value = serde_json::from_str(&text).unwrap();
                let code = reply["code"]
                    .as_str()
                    .unwrap_or(reply["type"].as_str().unwrap_or(""))
                    .to_owned();
                *codes.entry(code).or_default() += 1;
            }
        }
        codes
    });
    let memory = server.watch_memory();
    let line = "y".repeat(250 * 1024);
    let mut sent = 0;
    for _ in 0..MESSAGES {
        let message = json!({"type": "stdin", "job_id": job, "data": line}).to_string();
        if sink.send(Message::Text(message.into())).await.is_err() {
            break; // the server closed the connection of an abusive client: fine
        }
        sent += 1;
    }
    assert_still_served(&http, &server, &honest).await;
    memory.assert_growth_below("stdin flood", 32).await;
    drop(sink);
    let codes = tokio::time::timeout(Duration::from_secs(30), replies)
        .await
        .expect("the server ends the connection")
        .unwrap();
    eprintln!(
        "stdin flood: {sent} of {MESSAGES} messages of 250 KiB sent before the server closed; replies {codes:?}"
    );
    assert!(
        codes.contains_key("stdin_limit") || codes.contains_key("rate_limited"),
        "the flooder is told why: {codes:?}"
    );
}

#[tokio::test]
async fn resubscribing_to_a_large_finished_job_does_not_replay_it() {
    const SUBSCRIBES: usize = 300;
    let server = Server::start(&[]).await;
    let http = client();
    let token = register(&http, &server, "storm").await;
    let job = submit(
        &http,
        &server,
        &token,
        json!({
            "code": "import sys\nsys.stdout.write('o' * 1000000)\nsys.stderr.write('e' * 1000000)",
            "stdin": "i".repeat(1000000),
        }),
    )
    .await;
    wait_status(&http, &server, &token, &job, |status| status == "succeeded").await;

    let (socket, _) = tokio_tungstenite::connect_async(ws_url(&server, &token))
        .await
        .unwrap();
    // This client never reads.
    let (mut sink, incoming) = socket.split();
    let memory = server.watch_memory();
    for _ in 0..SUBSCRIBES {
        let message = json!({"type": "subscribe", "job_id": job}).to_string();
        if sink.send(Message::Text(message.into())).await.is_err() {
            break;
        }
        // Paced, as the review's attack was, so each subscription gets to queue its history
        // before the next one arrives.
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // A second connection, which reads, still gets the job's history once.
    let (mut reader, _) = tokio_tungstenite::connect_async(ws_url(&server, &token))
        .await
        .unwrap();
    reader
        .send(Message::Text(
            json!({"type": "subscribe", "job_id": job})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let mut output = 0;
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), reader.next())
            .await
            .expect("the reading client gets the events")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = message {
            let event: Value = serde_json::from_str(&text).unwrap();
            if event["type"] == "output" {
                output += event["data"].as_str().unwrap().len();
            }
            if event["type"] == "finished" {
                break;
            }
        }
    }
    assert_eq!(output, 2_000_000, "the reader gets the output once");
    memory.assert_growth_below("subscribe storm", 32).await;
    assert_still_served(&http, &server, &token).await;
    drop(incoming);
}

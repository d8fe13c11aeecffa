//! The WebSocket protocol: ordered events, catch-up for late subscribers, stdin, cancel, and
//! ownership.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::{connect_async, tungstenite::Message};

use crate::helpers::{TestApp, spawn_app};

pub(crate) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(crate) async fn connect(app: &TestApp, token: &str) -> Socket {
    connect_async(app.ws_url(token))
        .await
        .expect("the WebSocket connects")
        .0
}

pub(crate) async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next JSON message, waiting at most 20 s.
pub(crate) async fn next(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(20), socket.next())
            .await
            .expect("a message within 20 s");
        if let Message::Text(text) = message.unwrap().unwrap() {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

/// Every message of one job up to and including `finished`.
pub(crate) async fn until_finished(socket: &mut Socket) -> Vec<Value> {
    let mut events = Vec::new();
    loop {
        let event = next(socket).await;
        let done = event["type"] == "finished";
        events.push(event);
        if done {
            return events;
        }
    }
}

pub(crate) fn stdout_of(events: &[Value]) -> String {
    events
        .iter()
        .filter(|e| e["type"] == "output" && e["stream"] == "stdout")
        .map(|e| e["data"].as_str().unwrap())
        .collect()
}

fn assert_ordered(events: &[Value]) {
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    let expected: Vec<u64> = (1..=seqs.len() as u64).collect();
    assert_eq!(
        seqs, expected,
        "events arrive once each, in order, with no gaps"
    );
}

#[tokio::test]
async fn output_streams_in_order_while_the_program_runs() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let code = "import sys, time\nfor i in range(5):\n    print(i, flush=True)\n    print('e', i, file=sys.stderr, flush=True)\n    time.sleep(0.05)";
    let created: Value = app
        .post(&token, "/api/v1/executions", json!({"code": code}))
        .await
        .json()
        .await
        .unwrap();
    let mut socket = connect(&app, &token).await;
    send(
        &mut socket,
        json!({"type": "subscribe", "job_id": created["id"]}),
    )
    .await;
    let events = until_finished(&mut socket).await;
    assert_ordered(&events);
    assert_eq!(stdout_of(&events), "0\n1\n2\n3\n4\n");
    assert!(
        events
            .iter()
            .any(|e| e["type"] == "status" && e["status"] == "running")
    );
    assert!(events.iter().any(|e| e["stream"] == "stderr"));
    let outputs = events.iter().filter(|e| e["type"] == "output").count();
    assert!(
        outputs >= 2,
        "output arrives in several chunks while running, got {outputs}"
    );
    let finished = events.last().unwrap();
    assert_eq!(finished["execution"]["status"], "succeeded");
    // Light: the stream had the output; the execution has it once more for whoever asks.
    let summary = finished["execution"].as_object().unwrap();
    for field in ["code", "stdin", "stdout", "stderr"] {
        assert!(!summary.contains_key(field), "no {field} in {finished}");
    }
    let stored: Value = app
        .get(
            &token,
            &format!("/api/v1/executions/{}", created["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["stdout"], "0\n1\n2\n3\n4\n");
}

#[tokio::test]
async fn a_late_subscriber_first_receives_what_it_missed() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let done = app
        .run(&token, json!({"code": "for i in range(3): print(i)"}))
        .await;
    let mut socket = connect(&app, &token).await;
    send(
        &mut socket,
        json!({"type": "subscribe", "job_id": done["id"]}),
    )
    .await;
    let events = until_finished(&mut socket).await;
    assert_ordered(&events);
    assert_eq!(stdout_of(&events), "0\n1\n2\n");
}

#[tokio::test]
async fn input_is_answered_over_the_websocket() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let code = "name = input('name? ')\nprint('hello', name)\nprint(input())";
    let created: Value = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": code, "interactive": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].clone();
    let mut socket = connect(&app, &token).await;
    send(&mut socket, json!({"type": "subscribe", "job_id": id})).await;
    // Wait for the prompt before answering: the program really is waiting for input.
    let mut events = Vec::new();
    while !stdout_of(&events).contains("name? ") {
        events.push(next(&mut socket).await);
    }
    send(
        &mut socket,
        json!({"type": "stdin", "job_id": id, "data": "world\n"}),
    )
    .await;
    send(
        &mut socket,
        json!({"type": "stdin", "job_id": id, "data": "second line\n"}),
    )
    .await;
    send(&mut socket, json!({"type": "close_stdin", "job_id": id})).await;
    events.extend(until_finished(&mut socket).await);
    assert_eq!(stdout_of(&events), "name? hello world\nsecond line\n");
    assert_eq!(events.last().unwrap()["execution"]["status"], "succeeded");
}

#[tokio::test]
async fn cancel_over_the_websocket_stops_the_program() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let created: Value = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": "import time\nprint('go', flush=True)\ntime.sleep(60)"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].clone();
    let mut socket = connect(&app, &token).await;
    send(&mut socket, json!({"type": "subscribe", "job_id": id})).await;
    let mut events = Vec::new();
    while !stdout_of(&events).contains("go") {
        events.push(next(&mut socket).await);
    }
    send(&mut socket, json!({"type": "cancel", "job_id": id})).await;
    let events = until_finished(&mut socket).await;
    assert_eq!(events.last().unwrap()["execution"]["status"], "cancelled");
}

#[tokio::test]
async fn another_users_job_cannot_be_subscribed_to() {
    let app = spawn_app().await;
    app.register("admin").await;
    let alice = app.register("alice").await;
    let bob = app.register("bob").await;
    let created: Value = app
        .post(
            &bob,
            "/api/v1/executions",
            json!({"code": "print('secret')"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut socket = connect(&app, &alice).await;
    send(
        &mut socket,
        json!({"type": "subscribe", "job_id": created["id"]}),
    )
    .await;
    let reply = next(&mut socket).await;
    assert_eq!(reply["type"], "error");
    assert_eq!(reply["code"], "not_found");
}

#[tokio::test]
async fn malformed_messages_get_an_error_and_the_connection_stays_open() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let mut socket = connect(&app, &token).await;
    send(&mut socket, json!({"type": "launch_missiles"})).await;
    assert_eq!(next(&mut socket).await["code"], "invalid_message");
    socket.send(Message::Text("not json".into())).await.unwrap();
    assert_eq!(next(&mut socket).await["code"], "invalid_message");
    let done = app.run(&token, json!({"code": "print(1)"})).await;
    send(
        &mut socket,
        json!({"type": "subscribe", "job_id": done["id"]}),
    )
    .await;
    assert_eq!(
        until_finished(&mut socket).await.last().unwrap()["execution"]["status"],
        "succeeded"
    );
}

#[tokio::test]
async fn a_websocket_without_a_token_is_refused() {
    let app = spawn_app().await;
    let url = format!("ws://{}/api/v1/ws", app.address);
    assert!(connect_async(url).await.is_err());
}

#[tokio::test]
async fn a_subscriber_to_a_job_whose_events_were_pruned_still_gets_its_result() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let done = app.run(&token, json!({"code": "print('kept')"})).await;
    let pruned = app
        .store
        .prune_events(chrono::Utc::now() + chrono::Duration::hours(1))
        .await
        .unwrap();
    assert!(pruned > 0, "the job's events were pruned");
    let mut socket = connect(&app, &token).await;
    send(
        &mut socket,
        json!({"type": "subscribe", "job_id": done["id"]}),
    )
    .await;
    let events = until_finished(&mut socket).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["seq"], 1);
    assert_eq!(events[0]["execution"]["status"], "succeeded");
    assert!(events[0]["execution"].get("stdout").is_none());
}

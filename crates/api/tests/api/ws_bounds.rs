//! What one WebSocket client can make the server hold or do: replays, backlog, message rate,
//! connections, stdin; and resuming with `after_seq`.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::{
    connect_async,
    tungstenite::{Message, protocol::frame::coding::CloseCode},
};

use crate::{
    helpers::{TestApp, spawn_app},
    websocket::{Socket, connect, next, send, until_finished},
};

/// About 2 MB of events once finished: 1 MB on each stream.
const BIG: &str =
    "import sys\nsys.stdout.write('x' * 1_000_000)\nsys.stderr.write('y' * 1_000_000)";
/// How long a socket must stay quiet before we take it that the server has sent everything.
const QUIET: Duration = Duration::from_secs(1);

/// Text bytes of the event messages (not errors) received until the socket stays quiet for
/// [`QUIET`], and the error codes seen.
async fn drain(socket: &mut Socket) -> (usize, Vec<String>) {
    let (mut bytes, mut errors) = (0, Vec::new());
    while let Ok(Some(Ok(message))) = tokio::time::timeout(QUIET, socket.next()).await {
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["type"] == "error" {
                errors.push(value["code"].as_str().unwrap().to_owned());
            } else {
                bytes += text.len();
            }
        }
    }
    (bytes, errors)
}

async fn finished_run(app: &TestApp, token: &str, code: &str) -> String {
    let done = app.run(token, json!({ "code": code })).await;
    done["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn subscribing_again_to_a_subscribed_job_replays_nothing() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let id = finished_run(&app, &token, BIG).await;
    let mut once = connect(&app, &token).await;
    send(&mut once, json!({"type": "subscribe", "job_id": id})).await;
    let history: usize = until_finished(&mut once)
        .await
        .iter()
        .map(|event| event.to_string().len())
        .sum();
    assert!(history > 2_000_000, "the history is big ({history} bytes)");

    let mut socket = connect(&app, &token).await;
    for _ in 0..200 {
        send(&mut socket, json!({"type": "subscribe", "job_id": id})).await;
    }
    let (bytes, errors) = drain(&mut socket).await;
    assert!(
        errors.iter().all(|code| code == "rate_limited"),
        "{errors:?}"
    );
    // Byte counts differ only in how JSON is spaced; a second replay would double them.
    assert!(
        bytes < history + history / 10,
        "the history was sent once: {bytes} bytes received for a {history}-byte history"
    );
}

#[tokio::test]
async fn a_client_that_never_reads_is_cut_off_and_others_are_still_served() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let mut jobs = Vec::new();
    for _ in 0..8 {
        jobs.push(finished_run(&app, &token, BIG).await);
    }
    let mut slow = connect(&app, &token).await;
    for job in &jobs {
        send(&mut slow, json!({"type": "subscribe", "job_id": job})).await;
    }
    // The user's other connections fill the per-user cap, so a new one is admitted only once the
    // server has closed the slow one.
    let mut others = Vec::new();
    for _ in 1..16 {
        others.push(connect(&app, &token).await);
    }
    let mut admitted = None;
    for _ in 0..400 {
        if let Ok((socket, _)) = connect_async(app.ws_url(&token)).await {
            admitted = Some(socket);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut admitted = admitted.expect("the slow connection was closed within 20 s");
    // The others are still served while and after the slow one is cut off.
    let quick = finished_run(&app, &token, "print('still here')").await;
    send(&mut admitted, json!({"type": "subscribe", "job_id": quick})).await;
    let events = until_finished(&mut admitted).await;
    assert_eq!(events.last().unwrap()["execution"]["status"], "succeeded");

    let (mut bytes, mut closed_as) = (0, None);
    while let Ok(Some(Ok(message))) = tokio::time::timeout(QUIET, slow.next()).await {
        match message {
            Message::Text(text) => bytes += text.len(),
            Message::Close(frame) => closed_as = frame,
            _ => {}
        }
    }
    assert!(
        bytes < 8 * 2_000_000,
        "the slow client got only part of its 16 MB ({bytes} bytes)"
    );
    if let Some(frame) = closed_as {
        assert_eq!(frame.code, CloseCode::Policy);
        assert!(frame.reason.contains("too slow"), "{}", frame.reason);
    }
}

#[tokio::test]
async fn a_subscriber_with_after_seq_gets_only_later_events() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let id = finished_run(&app, &token, "for i in range(3): print(i, flush=True)").await;
    let mut socket = connect(&app, &token).await;
    send(&mut socket, json!({"type": "subscribe", "job_id": id})).await;
    let all = until_finished(&mut socket).await;
    let last = all.last().unwrap()["seq"].as_u64().unwrap();
    assert!(last >= 3, "status, output and finished at least: {all:?}");

    let mut resumed = connect(&app, &token).await;
    send(
        &mut resumed,
        json!({"type": "subscribe", "job_id": id, "after_seq": last - 2}),
    )
    .await;
    let seqs: Vec<u64> = until_finished(&mut resumed)
        .await
        .iter()
        .map(|event| event["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [last - 1, last]);
}

#[tokio::test]
async fn a_user_may_hold_sixteen_connections_and_the_next_is_refused_with_429() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let mut open = Vec::new();
    for _ in 0..16 {
        open.push(connect(&app, &token).await);
    }
    let refused = connect_async(app.ws_url(&token)).await.unwrap_err();
    let tokio_tungstenite::tungstenite::Error::Http(response) = refused else {
        panic!("refused with an HTTP answer, got {refused:?}");
    };
    assert_eq!(response.status(), 429);
    let body: Value = serde_json::from_slice(response.body().as_deref().unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "too_many_connections");
    // Another user is not affected, and closing one frees a place.
    let bob = app.register("bob").await;
    connect(&app, &bob).await;
    let mut first = open.remove(0);
    first.close(None).await.unwrap();
    while first.next().await.is_some() {}
    let mut admitted = false;
    for _ in 0..100 {
        if connect_async(app.ws_url(&token)).await.is_ok() {
            admitted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(admitted, "a closed connection frees its place");
}

#[tokio::test]
async fn a_flood_of_messages_is_rate_limited_then_closed() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let mut socket = connect(&app, &token).await;
    let nobody = json!({"type": "unsubscribe", "job_id": "01a23aa6-890a-7032-894e-583f19a4b930"});
    for _ in 0..400 {
        if socket
            .send(Message::Text(nobody.to_string().into()))
            .await
            .is_err()
        {
            break;
        }
    }
    let (mut limited, mut closed_as) = (0, None);
    while let Ok(Some(Ok(message))) = tokio::time::timeout(QUIET, socket.next()).await {
        match message {
            Message::Text(text) => {
                let value: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(value["code"], "rate_limited", "{value}");
                limited += 1;
            }
            Message::Close(frame) => closed_as = frame,
            _ => {}
        }
    }
    assert!(limited >= 100, "excess messages were refused ({limited})");
    let frame = closed_as.expect("persistent excess closes the connection");
    assert_eq!(frame.code, CloseCode::Policy);
}

#[tokio::test]
async fn stdin_sent_to_one_job_is_capped_in_total() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let created: Value = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": "import time\nprint('ready', flush=True)\ntime.sleep(30)", "interactive": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].clone();
    let mut socket = connect(&app, &token).await;
    send(&mut socket, json!({"type": "subscribe", "job_id": id})).await;
    while next(&mut socket).await["type"] != "output" {}
    let chunk = "z".repeat(250 * 1024);
    // Four chunks fit in 1 MiB; the fifth (on a second connection) does not.
    for _ in 0..4 {
        send(
            &mut socket,
            json!({"type": "stdin", "job_id": id, "data": chunk}),
        )
        .await;
    }
    // A connection handles its messages in order: once this one is answered, so were those.
    send(&mut socket, json!({"type": "ping"})).await;
    while next(&mut socket).await["code"] != "invalid_message" {}
    let mut other = connect(&app, &token).await;
    send(
        &mut other,
        json!({"type": "stdin", "job_id": id, "data": chunk}),
    )
    .await;
    let refused = next(&mut other).await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["code"], "stdin_limit", "{refused}");
    assert_eq!(refused["job_id"], id);
    send(&mut socket, json!({"type": "cancel", "job_id": id})).await;
    let events = until_finished(&mut socket).await;
    assert!(
        events.iter().all(|event| event["type"] != "error"),
        "the first 1000 KiB were accepted: {events:?}"
    );
}

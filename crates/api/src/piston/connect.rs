//! `WS /connect`: Piston's interactive execution. The client sends `init` (the fields of
//! `/execute`) within a second, then `data` for stdin and `signal` to stop the program; the
//! server sends `runtime`, `stage`, `data` and `exit` (or `error`), then closes with Piston's
//! codes. Stdin stays open while the program runs, as in Piston (there is no end-of-file message).

use std::time::Duration;

use axum::{
    extract::{
        State,
        ws::{CloseFrame, Message, WebSocket},
    },
    response::Response,
};
use code_remote_core::{Execution, JobEvent, Stream};
use code_remote_store::Control;
use futures::{SinkExt, StreamExt, stream::SplitSink};
use serde_json::{Value, json};

use super::{PistonUser, execute};
use crate::{AppState, error::WsUpgrade, executions};

/// Piston closes a connection that sends no `init` within this time.
const INIT_TIMEOUT: Duration = Duration::from_secs(1);
/// Largest message a client may send (an `init` carries the program).
const MAX_CLIENT_MESSAGE: usize = 2 * 1024 * 1024;
/// Signal names Piston accepts; any of them stops the program (we can only kill it).
const SIGNALS: [&str; 17] = [
    "SIGABRT", "SIGALRM", "SIGBUS", "SIGFPE", "SIGHUP", "SIGILL", "SIGINT", "SIGKILL", "SIGPIPE",
    "SIGQUIT", "SIGSEGV", "SIGTERM", "SIGTRAP", "SIGUSR1", "SIGUSR2", "SIGXCPU", "SIGXFSZ",
];

/// Piston's close codes.
mod close {
    pub const ALREADY_INITIALIZED: (u16, &str) = (4000, "Already Initialized");
    pub const INIT_TIMEOUT: (u16, &str) = (4001, "Initialization Timeout");
    pub const NOTIFIED_ERROR: (u16, &str) = (4002, "Notified Error");
    pub const NOT_INITIALIZED: (u16, &str) = (4003, "Not yet Initialized");
    pub const ONLY_STDIN: (u16, &str) = (4004, "Can only write to stdin");
    pub const INVALID_SIGNAL: (u16, &str) = (4005, "Invalid Signal");
    pub const COMPLETED: (u16, &str) = (4999, "Job Completed");
}

type Sink = SplitSink<WebSocket, Message>;

pub(super) async fn connect(
    State(state): State<AppState>,
    PistonUser(user): PistonUser,
    WsUpgrade(upgrade): WsUpgrade,
) -> Response {
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| serve(state, user, socket))
}

async fn send(sink: &mut Sink, message: Value) -> bool {
    sink.send(Message::Text(message.to_string().into()))
        .await
        .is_ok()
}

async fn close(sink: &mut Sink, (code, reason): (u16, &str)) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
}

async fn notify_error(sink: &mut Sink, message: String) {
    send(sink, json!({ "type": "error", "message": message })).await;
    close(sink, close::NOTIFIED_ERROR).await;
}

/// The next client message as JSON; `None` when the connection ends.
async fn next_message(incoming: &mut futures::stream::SplitStream<WebSocket>) -> Option<Value> {
    while let Some(Ok(message)) = incoming.next().await {
        match message {
            Message::Text(text) => return Some(serde_json::from_str(&text).unwrap_or(Value::Null)),
            Message::Binary(bytes) => {
                return Some(serde_json::from_slice(&bytes).unwrap_or(Value::Null));
            }
            Message::Close(_) => return None,
            Message::Ping(_) | Message::Pong(_) => {}
        }
    }
    None
}

fn data_message(stream: Stream, data: String) -> Value {
    json!({ "type": "data", "stream": stream.as_str(), "data": data })
}

fn kind(message: &Value) -> &str {
    message.get("type").and_then(Value::as_str).unwrap_or("")
}

async fn serve(state: AppState, user: crate::session::CurrentUser, socket: WebSocket) {
    let (mut sink, mut incoming) = socket.split();
    let init = match tokio::time::timeout(INIT_TIMEOUT, next_message(&mut incoming)).await {
        Err(_) => return close(&mut sink, close::INIT_TIMEOUT).await,
        Ok(None) => return,
        Ok(Some(message)) => message,
    };
    match kind(&init) {
        "init" => {}
        "data" | "signal" => return close(&mut sink, close::NOT_INITIALIZED).await,
        other => return notify_error(&mut sink, format!("Unknown message type: {other}")).await,
    }
    let (mut spec, version) = match execute::prepare(&init, &state).await {
        Ok(prepared) => prepared,
        Err(err) => return notify_error(&mut sink, err.message()).await,
    };
    // Piston ignores `stdin` in `init`: input comes as `data` messages.
    spec.stdin.clear();
    spec.interactive = true;
    let execution = match executions::submit(&state, &user, &spec).await {
        Ok(execution) => execution,
        Err(err) => return notify_error(&mut sink, super::PistonError::from(err).message()).await,
    };
    let events = match state.hub.events(execution.id, 0).await {
        Ok(events) => events,
        Err(err) => {
            tracing::error!(job = %execution.id, error = %err, "could not read job events");
            stop(&state, &execution).await;
            return notify_error(&mut sink, "the run's output could not be read".into()).await;
        }
    };
    send(
        &mut sink,
        json!({ "type": "runtime", "language": "python", "version": version }),
    )
    .await;
    send(&mut sink, json!({ "type": "stage", "stage": "run" })).await;
    futures::pin_mut!(events);
    let mut sent_up_to = 0;
    loop {
        tokio::select! {
            event = events.next() => match event.map(|event| event.map(|shared| shared.event.clone())) {
                Some(Ok(JobEvent::Output { stream, data, seq, .. })) => {
                    sent_up_to = seq;
                    if !send(&mut sink, data_message(stream, data)).await {
                        return stop(&state, &execution).await;
                    }
                }
                Some(Ok(JobEvent::Status { .. } | JobEvent::Test { .. } | JobEvent::Artifact { .. })) => {}
                Some(Ok(JobEvent::Finished { .. })) => {
                    // Output stored after the stream last read the store (all of it is stored
                    // before the job is marked finished).
                    for event in state.store.events_since(execution.id, sent_up_to).await.unwrap_or_default() {
                        if let JobEvent::Output { stream, data, .. } = event {
                            send(&mut sink, data_message(stream, data)).await;
                        }
                    }
                    let finished = state.store.job(execution.id).await.ok().flatten();
                    let (_, code, signal) = finished.as_ref().map_or((None, None, None), execute::outcome);
                    send(&mut sink, json!({ "type": "exit", "stage": "run", "code": code, "signal": signal })).await;
                    return close(&mut sink, close::COMPLETED).await;
                }
                Some(Err(err)) => {
                    tracing::error!(job = %execution.id, error = %err, "could not read job events");
                    stop(&state, &execution).await;
                    return notify_error(&mut sink, "the run's output could not be read".into()).await;
                }
                None => return notify_error(&mut sink, "the run's events ended early".into()).await,
            },
            message = next_message(&mut incoming) => {
                let Some(message) = message else {
                    return stop(&state, &execution).await;
                };
                match kind(&message) {
                    "init" => {
                        stop(&state, &execution).await;
                        return close(&mut sink, close::ALREADY_INITIALIZED).await;
                    }
                    "data" => {
                        if message.get("stream").and_then(Value::as_str) != Some("stdin") {
                            stop(&state, &execution).await;
                            return close(&mut sink, close::ONLY_STDIN).await;
                        }
                        let data = message.get("data").and_then(Value::as_str).unwrap_or_default();
                        let control = Control::Stdin(data.to_owned());
                        if let Err(err) = state.store.bus().send_control(execution.id, control).await {
                            tracing::error!(job = %execution.id, error = %err, "could not forward stdin");
                        }
                    }
                    "signal" => {
                        let name = message.get("signal").and_then(Value::as_str).unwrap_or_default();
                        if !SIGNALS.contains(&name) {
                            stop(&state, &execution).await;
                            return close(&mut sink, close::INVALID_SIGNAL).await;
                        }
                        // The `exit` message follows when the worker has stopped the program.
                        stop(&state, &execution).await;
                    }
                    other => {
                        stop(&state, &execution).await;
                        return notify_error(&mut sink, format!("Unknown message type: {other}")).await;
                    }
                }
            }
        }
    }
}

/// Cancels the run if it is still going (the client left, broke the protocol or sent a signal).
async fn stop(state: &AppState, execution: &Execution) {
    // Already finished, or already being stopped: nothing to do.
    let _ = executions::cancel_job(state, execution.clone()).await;
}

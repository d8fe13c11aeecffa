//! `GET /api/v1/ws`: one WebSocket per browser tab. Clients subscribe to their jobs and get
//! each job's events in order (missed ones first), send stdin lines and cancel.

use std::collections::HashMap;

use axum::{
    extract::{
        State,
        ws::{Message, WebSocket},
    },
    response::Response,
};
use code_remote_core::{JobEvent, JobId};
use code_remote_store::Control;
use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::{sync::mpsc, task::JoinHandle};

use crate::{
    AppState,
    error::WsUpgrade,
    executions::{cancel_job, owned},
    session::CurrentUser,
};

/// Largest message a client may send (a stdin line and its JSON wrapping).
const MAX_CLIENT_MESSAGE: usize = 256 * 1024;
/// Subscriptions one connection may hold at once.
const MAX_SUBSCRIPTIONS: usize = 64;
/// Messages queued for a slow client before its connection is closed.
const OUTGOING_CAPACITY: usize = 4096;

/// Messages from the client.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    Subscribe { job_id: JobId },
    Unsubscribe { job_id: JobId },
    Stdin { job_id: JobId, data: String },
    CloseStdin { job_id: JobId },
    Cancel { job_id: JobId },
}

/// Messages to the client: a job's events, or an error about a client message.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ServerMessage {
    Event(JobEvent),
    Error(ErrorMessage),
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename = "error")]
pub struct ErrorMessage {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_id: Option<JobId>,
}

fn error(code: &'static str, message: impl Into<String>, job_id: Option<JobId>) -> ServerMessage {
    ServerMessage::Error(ErrorMessage {
        code,
        message: message.into(),
        job_id,
    })
}

#[utoipa::path(get, path = "/ws", tag = "events", security(("bearer" = [])),
    params(("token" = Option<String>, Query, description = "access token, for browsers that cannot set headers")),
    responses((status = 101, description = "WebSocket; see DESIGN.md for the message protocol"), (status = 400, description = "not a WebSocket upgrade"), (status = 401, description = "not signed in")))]
pub async fn upgrade(
    State(state): State<AppState>,
    user: CurrentUser,
    WsUpgrade(upgrade): WsUpgrade,
) -> Response {
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| serve(state, user, socket))
}

async fn serve(state: AppState, user: CurrentUser, socket: WebSocket) {
    let (mut sink, mut incoming) = socket.split();
    let (outgoing, mut queue) = mpsc::channel::<ServerMessage>(OUTGOING_CAPACITY);
    let writer = tokio::spawn(async move {
        while let Some(message) = queue.recv().await {
            let Ok(text) = serde_json::to_string(&message) else {
                continue;
            };
            if sink.send(Message::Text(text.into())).await.is_err() {
                return;
            }
        }
    });
    let mut subscriptions: HashMap<JobId, JoinHandle<()>> = HashMap::new();
    while let Some(Ok(message)) = incoming.next().await {
        let text = match message {
            Message::Text(text) => text,
            Message::Close(_) => break,
            Message::Binary(_) => {
                let _ = outgoing
                    .send(error("invalid_message", "send JSON text messages", None))
                    .await;
                continue;
            }
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        let reply = match serde_json::from_str::<ClientMessage>(&text) {
            Ok(message) => handle(&state, &user, message, &mut subscriptions, &outgoing).await,
            Err(err) => Some(error(
                "invalid_message",
                format!("not a valid message: {err}"),
                None,
            )),
        };
        if let Some(reply) = reply
            && outgoing.send(reply).await.is_err()
        {
            break;
        }
        subscriptions.retain(|_, task| !task.is_finished());
    }
    for (_, task) in subscriptions {
        task.abort();
    }
    writer.abort();
}

async fn handle(
    state: &AppState,
    user: &CurrentUser,
    message: ClientMessage,
    subscriptions: &mut HashMap<JobId, JoinHandle<()>>,
    outgoing: &mpsc::Sender<ServerMessage>,
) -> Option<ServerMessage> {
    let job = match &message {
        ClientMessage::Subscribe { job_id }
        | ClientMessage::Unsubscribe { job_id }
        | ClientMessage::Stdin { job_id, .. }
        | ClientMessage::CloseStdin { job_id }
        | ClientMessage::Cancel { job_id } => *job_id,
    };
    let execution = match owned(state, user, job).await {
        Ok(execution) => execution,
        Err(err) => return Some(error("not_found", err.to_string(), Some(job))),
    };
    let result = match message {
        ClientMessage::Subscribe { .. } => {
            if subscriptions.len() >= MAX_SUBSCRIPTIONS && !subscriptions.contains_key(&job) {
                return Some(error(
                    "too_many_subscriptions",
                    format!("at most {MAX_SUBSCRIPTIONS} subscriptions per connection"),
                    Some(job),
                ));
            }
            if let Some(previous) = subscriptions.remove(&job) {
                previous.abort();
            }
            subscriptions.insert(
                job,
                tokio::spawn(forward(state.clone(), job, outgoing.clone())),
            );
            return None;
        }
        ClientMessage::Unsubscribe { .. } => {
            if let Some(task) = subscriptions.remove(&job) {
                task.abort();
            }
            return None;
        }
        ClientMessage::Stdin { data, .. } => running(&execution).map(|()| Control::Stdin(data)),
        ClientMessage::CloseStdin { .. } => running(&execution).map(|()| Control::CloseStdin),
        ClientMessage::Cancel { .. } => {
            return match cancel_job(state, execution).await {
                Ok(_) => None,
                Err(err) => Some(error("cancel_failed", err.to_string(), Some(job))),
            };
        }
    };
    match result {
        Ok(control) => match state.store.bus().send_control(job, control).await {
            Ok(()) => None,
            Err(err) => {
                tracing::error!(%job, error = %err, "could not forward a control message");
                Some(error(
                    "internal_error",
                    "the message could not be delivered",
                    Some(job),
                ))
            }
        },
        Err(message) => Some(message),
    }
}

fn running(execution: &code_remote_core::Execution) -> Result<(), ServerMessage> {
    if execution.status.is_terminal() {
        return Err(error(
            "job_finished",
            "the program has already finished",
            Some(execution.id),
        ));
    }
    Ok(())
}

async fn forward(state: AppState, job: JobId, outgoing: mpsc::Sender<ServerMessage>) {
    let events = match state.hub.events(job).await {
        Ok(events) => events,
        Err(err) => {
            tracing::error!(%job, error = %err, "could not read job events");
            let _ = outgoing
                .send(error(
                    "internal_error",
                    "the job's events could not be read",
                    Some(job),
                ))
                .await;
            return;
        }
    };
    futures::pin_mut!(events);
    while let Some(event) = events.next().await {
        let message = match event {
            Ok(event) => ServerMessage::Event(event),
            Err(err) => {
                tracing::error!(%job, error = %err, "could not read job events");
                error(
                    "internal_error",
                    "the job's events could not be read",
                    Some(job),
                )
            }
        };
        if outgoing.send(message).await.is_err() {
            return;
        }
    }
}

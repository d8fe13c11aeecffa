//! `GET /api/v1/ws`: one WebSocket per browser tab. Clients subscribe to their jobs and get
//! each job's events in order (missed ones first, or those after `after_seq`), send stdin lines
//! and cancel.
//!
//! Each connection is bounded so one client cannot make the server hold much for it: a user has
//! at most [`MAX_CONNECTIONS_PER_USER`] open on a node (more are refused with 429), messages are
//! rate-limited (a token bucket; persistent excess closes the connection), subscribing twice to
//! a job is a no-op, stdin sent to one job adds up to at most `MAX_STDIN_BYTES`, and what waits
//! to be sent is bounded in bytes ([`MAX_OUTGOING_BYTES`]; a client that falls further behind is
//! closed with code 1008).

mod outgoing;
mod rate;

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use axum::{
    extract::{
        State,
        ws::{CloseFrame, Message, WebSocket, close_code},
    },
    response::Response,
};
use code_remote_core::{JobId, MAX_STDIN_BYTES};
use code_remote_store::Control;
use futures::{SinkExt, StreamExt, stream::SplitSink};
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;

use crate::{
    AppState,
    error::{ApiError, WsUpgrade},
    executions::{cancel_job, owned},
    session::CurrentUser,
};
use outgoing::{Frame, MAX_OUTGOING_BYTES, Outgoing, Queue};
use rate::TokenBucket;

/// Largest message a client may send (a stdin line and its JSON wrapping).
const MAX_CLIENT_MESSAGE: usize = 256 * 1024;
/// Subscriptions one connection may hold at once.
const MAX_SUBSCRIPTIONS: usize = 64;
/// WebSockets one user may have open on one node.
pub const MAX_CONNECTIONS_PER_USER: usize = 16;
/// Messages a client may send at once, and per second after that.
const MESSAGE_BURST: u32 = 100;
const MESSAGES_PER_SECOND: u32 = 20;
/// Messages refused for the rate before the connection is closed.
const MAX_REFUSED_MESSAGES: u32 = 200;
/// How long a closing connection may take to send its close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);
/// How long the writer may take to finish once the client's side has ended; a client that
/// stopped reading must not keep the connection (and its place in the per-user count) forever.
const WRITER_GRACE: Duration = Duration::from_secs(5);
/// How long a refused upgrade should wait before trying again.
const CONNECTIONS_RETRY: Duration = Duration::from_secs(5);

/// A message from the client over the WebSocket.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Follow a job; events with `seq <= after_seq` (already seen) are not sent.
    Subscribe {
        job_id: JobId,
        #[serde(default)]
        after_seq: u64,
    },
    Unsubscribe {
        job_id: JobId,
    },
    Stdin {
        job_id: JobId,
        data: String,
    },
    CloseStdin {
        job_id: JobId,
    },
    Cancel {
        job_id: JobId,
    },
}

impl ClientMessage {
    fn job_id(&self) -> JobId {
        match self {
            Self::Subscribe { job_id, .. }
            | Self::Unsubscribe { job_id }
            | Self::Stdin { job_id, .. }
            | Self::CloseStdin { job_id }
            | Self::Cancel { job_id } => *job_id,
        }
    }
}

/// An error the server sends over the WebSocket about a client message or a job (events are
/// sent as the hub serialised them).
/// (An enum of one variant so that the `type` tag is part of the schema.)
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[schema(as = WsError)]
pub(crate) enum ErrorMessage<'a> {
    Error {
        code: &'static str,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        job_id: Option<JobId>,
    },
}

fn error(code: &'static str, message: &str, job_id: Option<JobId>) -> Frame {
    let message = ErrorMessage::Error {
        code,
        message,
        job_id,
    };
    // Plain strings and ids: serialising cannot fail.
    serde_json::to_string(&message).unwrap_or_default().into()
}

#[utoipa::path(get, path = "/ws", tag = "events", security(("bearer" = [])),
    params(("token" = Option<String>, Query, description = "access token, for browsers that cannot set headers")),
    responses((status = 101, description = "WebSocket; see docs/api.md for the message protocol"), (status = 400, description = "not a WebSocket upgrade"), (status = 401, description = "not signed in"),
        (status = 429, description = "this user already has the most WebSockets open")))]
pub async fn upgrade(
    State(state): State<AppState>,
    user: CurrentUser,
    WsUpgrade(upgrade): WsUpgrade,
) -> Result<Response, ApiError> {
    let Some(guard) = state.hub.open_connection(user.id, MAX_CONNECTIONS_PER_USER) else {
        return Err(ApiError::TooManyRequests {
            code: "too_many_connections",
            message: format!(
                "at most {MAX_CONNECTIONS_PER_USER} live connections per user; close another tab"
            ),
            retry_after: CONNECTIONS_RETRY,
        });
    };
    Ok(upgrade
        .max_message_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| async move {
            serve(state, user, socket).await;
            drop(guard);
        }))
}

/// Why the server ends a connection (the reason of its close frame).
struct Closing {
    reason: &'static str,
}

const TOO_SLOW: Closing = Closing {
    reason: "too slow: more than 4 MiB of messages were waiting",
};

async fn serve(state: AppState, user: CurrentUser, socket: WebSocket) {
    let (sink, mut incoming) = socket.split();
    let (outgoing, queue) = outgoing::queue(MAX_OUTGOING_BYTES);
    let too_slow = queue.too_slow.clone();
    let (close_tx, close_rx) = tokio::sync::oneshot::channel::<Closing>();
    let writer = tokio::spawn(write(sink, queue, close_rx));
    let mut connection = Connection {
        state,
        user,
        outgoing,
        subscriptions: HashMap::new(),
        bucket: TokenBucket::new(MESSAGE_BURST, MESSAGES_PER_SECOND, Instant::now()),
        refused: 0,
    };
    let closing = loop {
        let message = tokio::select! {
            message = incoming.next() => message,
            () = too_slow.cancelled() => break None,
        };
        let Some(Ok(message)) = message else {
            break None;
        };
        match connection.receive(message).await {
            Ok(()) => {}
            Err(Some(closing)) => break Some(closing),
            Err(None) => break None,
        }
    };
    for (_, task) in connection.subscriptions.drain() {
        task.abort();
    }
    drop(connection);
    if let Some(closing) = closing {
        let _ = close_tx.send(closing);
    } else {
        drop(close_tx);
    }
    let writer_abort = writer.abort_handle();
    if tokio::time::timeout(WRITER_GRACE, writer).await.is_err() {
        writer_abort.abort();
    }
}

/// Sends queued frames until the queue ends, the client is too slow, or the reader closes.
async fn write(
    mut sink: SplitSink<WebSocket, Message>,
    mut queue: Queue,
    mut close: tokio::sync::oneshot::Receiver<Closing>,
) {
    let too_slow = queue.too_slow.clone();
    let closing = loop {
        // Biased: what is queued goes out before a close (an error may say why it closes).
        let frame = tokio::select! {
            biased;
            () = too_slow.cancelled() => break Some(TOO_SLOW),
            frame = queue.next() => frame,
            closing = &mut close => break closing.ok(),
        };
        let Some(frame) = frame else {
            break close.await.ok();
        };
        let text = Message::Text(frame.to_string().into());
        tokio::select! {
            sent = sink.send(text) => if sent.is_err() { return },
            () = too_slow.cancelled() => break Some(TOO_SLOW),
        }
        queue.sent(&frame);
    };
    if let Some(Closing { reason }) = closing {
        let frame = CloseFrame {
            code: close_code::POLICY,
            reason: reason.into(),
        };
        // Best effort: a client that reads nothing does not read this either.
        let _ = tokio::time::timeout(CLOSE_GRACE, sink.send(Message::Close(Some(frame)))).await;
    }
}

/// One connection's state, owned by its read loop.
struct Connection {
    state: AppState,
    user: CurrentUser,
    outgoing: Outgoing,
    subscriptions: HashMap<JobId, JoinHandle<()>>,
    bucket: TokenBucket,
    refused: u32,
}

impl Connection {
    /// Handles one client message. `Err(Some)` closes the connection with a reason, `Err(None)`
    /// ends it (the writer is gone).
    async fn receive(&mut self, message: Message) -> Result<(), Option<Closing>> {
        if matches!(message, Message::Close(_)) {
            return Err(None);
        }
        if !self.bucket.take(Instant::now()) {
            self.refused += 1;
            if self.refused >= MAX_REFUSED_MESSAGES {
                return Err(Some(Closing {
                    reason: "too many messages",
                }));
            }
            return self.reply(Some(error(
                "rate_limited",
                &format!("at most {MESSAGES_PER_SECOND} messages per second; this one was dropped"),
                None,
            )));
        }
        let text = match message {
            Message::Text(text) => text,
            Message::Binary(_) => {
                return self.reply(Some(error(
                    "invalid_message",
                    "send JSON text messages",
                    None,
                )));
            }
            _ => return Ok(()),
        };
        let reply = match serde_json::from_str::<ClientMessage>(&text) {
            Ok(message) => self.handle(message).await,
            Err(err) => Some(error(
                "invalid_message",
                &format!("not a valid message: {err}"),
                None,
            )),
        };
        self.reply(reply)
    }

    fn reply(&self, reply: Option<Frame>) -> Result<(), Option<Closing>> {
        match reply.map(|frame| self.outgoing.send(frame)) {
            None | Some(Ok(())) => Ok(()),
            Some(Err(_)) => Err(None),
        }
    }

    async fn handle(&mut self, message: ClientMessage) -> Option<Frame> {
        let job = message.job_id();
        match message {
            ClientMessage::Subscribe { after_seq, .. } => self.subscribe(job, after_seq).await,
            ClientMessage::Unsubscribe { .. } => {
                if let Some(task) = self.subscriptions.remove(&job) {
                    task.abort();
                }
                None
            }
            ClientMessage::Stdin { data, .. } => {
                if let Err(reply) = self.running(job).await {
                    return Some(reply);
                }
                if !self.state.hub.take_stdin(job, data.len(), MAX_STDIN_BYTES) {
                    return Some(error(
                        "stdin_limit",
                        &format!(
                            "at most {MAX_STDIN_BYTES} bytes of input per run; this input was dropped"
                        ),
                        Some(job),
                    ));
                }
                self.control(job, Control::Stdin(data)).await
            }
            ClientMessage::CloseStdin { .. } => match self.running(job).await {
                Ok(()) => self.control(job, Control::CloseStdin).await,
                Err(reply) => Some(reply),
            },
            ClientMessage::Cancel { .. } => {
                let execution = match owned(&self.state, &self.user, job).await {
                    Ok(execution) => execution,
                    Err(err) => return Some(error("not_found", &err.to_string(), Some(job))),
                };
                match cancel_job(&self.state, execution).await {
                    Ok(_) => None,
                    Err(err) => Some(error("cancel_failed", &err.to_string(), Some(job))),
                }
            }
        }
    }

    async fn subscribe(&mut self, job: JobId, after_seq: u64) -> Option<Frame> {
        // Load-bearing: a repeated subscribe replays nothing (each replay could be megabytes).
        if self.subscriptions.contains_key(&job) {
            return None;
        }
        if self.subscriptions.len() >= MAX_SUBSCRIPTIONS {
            return Some(error(
                "too_many_subscriptions",
                &format!(
                    "at most {MAX_SUBSCRIPTIONS} subscriptions per connection; unsubscribe from finished jobs"
                ),
                Some(job),
            ));
        }
        if let Err(reply) = self.owner_status(job).await {
            return Some(reply);
        }
        let task = tokio::spawn(forward(
            self.state.clone(),
            job,
            after_seq,
            self.outgoing.clone(),
        ));
        self.subscriptions.insert(job, task);
        None
    }

    /// The job's status, if the caller may see it (one small query, not the whole row).
    async fn owner_status(&self, job: JobId) -> Result<code_remote_core::JobStatus, Frame> {
        match self.state.store.job_owner(job).await {
            Ok(Some((owner, status))) if self.user.may_access(owner) => Ok(status),
            Ok(_) => Err(error(
                "not_found",
                &ApiError::NotFound("execution").to_string(),
                Some(job),
            )),
            Err(err) => {
                tracing::error!(%job, error = %err, "could not read a job");
                Err(error(
                    "internal_error",
                    "the job could not be read",
                    Some(job),
                ))
            }
        }
    }

    async fn running(&self, job: JobId) -> Result<(), Frame> {
        if self.owner_status(job).await?.is_terminal() {
            self.state.hub.forget_stdin(job);
            return Err(error(
                "job_finished",
                "the program has already finished",
                Some(job),
            ));
        }
        Ok(())
    }

    async fn control(&self, job: JobId, control: Control) -> Option<Frame> {
        match self.state.store.bus().send_control(job, control).await {
            Ok(()) => None,
            Err(err) => {
                tracing::error!(%job, error = %err, "could not forward a control message");
                Some(error(
                    "not_delivered",
                    "the message could not be delivered to the program",
                    Some(job),
                ))
            }
        }
    }
}

async fn forward(state: AppState, job: JobId, after_seq: u64, outgoing: Outgoing) {
    let unreadable = || {
        error(
            "internal_error",
            "the job's events could not be read",
            Some(job),
        )
    };
    let events = match state.hub.events(job, after_seq).await {
        Ok(events) => events,
        Err(err) => {
            tracing::error!(%job, error = %err, "could not read job events");
            let _ = outgoing.send(unreadable());
            return;
        }
    };
    futures::pin_mut!(events);
    while let Some(event) = events.next().await {
        let frame = match event {
            Ok(event) => event.json.clone(),
            Err(err) => {
                tracing::error!(%job, error = %err, "could not read job events");
                unreadable()
            }
        };
        if outgoing.send(frame).is_err() {
            return;
        }
    }
}

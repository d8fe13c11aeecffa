//! Signed callbacks: each user's signing secret (created or rotated here, shown once), the
//! check of a callback URL when a job is submitted, the delivery loop, and the deliveries of
//! an execution as its owner sees them.
//!
//! The wire format is Standard Webhooks (see `sign`); docs/api.md has the verification recipe
//! and docs/security.md the rules on where callbacks may go (see `target`).

mod deliver;
mod sign;
mod target;

use std::time::Duration;

use axum::{
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use code_remote_core::UserId;
use code_remote_store::{Callback, Delivery, DeliveryState, Judge0Callback};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    audit::AuditEvent,
    error::{ApiError, Json},
    executions::{owned, parse_job_id},
    session::CurrentUser,
};

pub(crate) use deliver::start;
pub(crate) use target::check_url;

/// How callbacks are delivered.
#[derive(Clone, Debug)]
pub struct CallbackConfig {
    /// Let callbacks reach private, loopback, link-local and other internal addresses.
    pub allow_private: bool,
    /// Attempts before a delivery fails for good.
    pub max_attempts: u32,
    /// The wait after the first failed attempt; it doubles with each one after.
    pub retry_base: Duration,
    /// How long one attempt may take, connection to answer.
    pub timeout: Duration,
    /// How often the delivery loop looks for work.
    pub poll: Duration,
}

impl Default for CallbackConfig {
    fn default() -> Self {
        Self {
            allow_private: false,
            max_attempts: 8,
            retry_base: Duration::from_secs(5),
            timeout: Duration::from_secs(5),
            poll: Duration::from_secs(1),
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rotate_secret, secret_status, delete_secret))
        .routes(routes!(deliveries))
        .layer(axum::extract::DefaultBodyLimit::max(1024))
}

/// The callback a job is submitted with, checked: an `http(s)` URL that is not a forbidden
/// literal address, and an owner with a secret to sign with. The error is the message for the
/// client.
pub(crate) async fn callback_for(
    state: &AppState,
    user: UserId,
    url: &str,
    judge0: Option<Judge0Callback>,
) -> Result<Callback, CallbackError> {
    let url = check_url(url, state.config.callbacks.allow_private).map_err(CallbackError::Url)?;
    if state.store.webhook_secret(user).await?.is_none() {
        return Err(CallbackError::NoSecret);
    }
    Ok(Callback {
        url: url.to_string(),
        judge0,
    })
}

/// Why a callback was not accepted.
#[derive(Debug)]
pub(crate) enum CallbackError {
    Url(String),
    NoSecret,
    Store(code_remote_store::Error),
}

impl From<code_remote_store::Error> for CallbackError {
    fn from(err: code_remote_store::Error) -> Self {
        Self::Store(err)
    }
}

impl CallbackError {
    pub(crate) const NO_SECRET: &str = "callbacks are signed: create a webhook secret first \
        (POST /api/v1/webhooks/secret, or Settings in the web app)";
}

impl From<CallbackError> for ApiError {
    fn from(err: CallbackError) -> Self {
        match err {
            CallbackError::Url(message) => ApiError::validation("callback_url", message),
            CallbackError::NoSecret => ApiError::Validation {
                code: "webhook_secret_missing",
                message: CallbackError::NO_SECRET.into(),
                field: Some("callback_url"),
            },
            CallbackError::Store(err) => err.into(),
        }
    }
}

/// A new signing secret: `secret` is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedSecret {
    /// `whsec_` and the base64 of the key.
    pub secret: String,
    pub created_at: DateTime<Utc>,
}

/// Whether a signing secret exists (never the secret itself).
#[derive(Debug, Serialize, ToSchema)]
pub struct SecretStatus {
    pub configured: bool,
    pub created_at: Option<DateTime<Utc>>,
}

/// Create or rotate your webhook signing secret. The old one stops signing at once.
#[utoipa::path(post, path = "/webhooks/secret", tag = "webhooks", security(("bearer" = [])),
    responses((status = 201, body = CreatedSecret)))]
async fn rotate_secret(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<(StatusCode, Json<CreatedSecret>), ApiError> {
    let secret = sign::new_secret();
    let created_at = state.store.set_webhook_secret(user.id, &secret).await?;
    AuditEvent::new("webhook_secret.rotated")
        .actor(user.id)
        .record(&state)
        .await;
    Ok((
        StatusCode::CREATED,
        Json(CreatedSecret { secret, created_at }),
    ))
}

/// Whether you have a webhook signing secret, and since when.
#[utoipa::path(get, path = "/webhooks/secret", tag = "webhooks", security(("bearer" = [])),
    responses((status = 200, body = SecretStatus)))]
async fn secret_status(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<SecretStatus>, ApiError> {
    let found = state.store.webhook_secret(user.id).await?;
    Ok(Json(SecretStatus {
        configured: found.is_some(),
        created_at: found.map(|(_, at)| at),
    }))
}

/// Delete your webhook signing secret; pending deliveries then fail.
#[utoipa::path(delete, path = "/webhooks/secret", tag = "webhooks", security(("bearer" = [])),
    responses((status = 204, description = "deleted"), (status = 404, description = "there was none")))]
async fn delete_secret(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<StatusCode, ApiError> {
    if !state.store.delete_webhook_secret(user.id).await? {
        return Err(ApiError::NotFound("webhook secret"));
    }
    AuditEvent::new("webhook_secret.deleted")
        .actor(user.id)
        .record(&state)
        .await;
    Ok(StatusCode::NO_CONTENT)
}

/// One delivery of a callback, as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// The `webhook-id` header of every attempt.
    pub webhook_id: String,
    pub url: String,
    pub method: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed (for `failed`: why it was given up).
    pub last_error: Option<String>,
    pub last_status: Option<u16>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<Delivery> for DeliveryView {
    fn from(delivery: Delivery) -> Self {
        let pending = delivery.state == DeliveryState::Pending;
        Self {
            webhook_id: deliver::webhook_id(&delivery),
            state: match delivery.state {
                DeliveryState::Pending => "pending",
                DeliveryState::Delivered => "delivered",
                DeliveryState::Failed => "failed",
            }
            .to_owned(),
            url: delivery.url,
            method: delivery.method,
            attempts: delivery.attempts,
            next_attempt_at: pending.then_some(delivery.next_attempt_at),
            last_error: delivery.last_error,
            last_status: delivery.last_status,
            created_at: delivery.created_at,
            finished_at: delivery.finished_at,
        }
    }
}

/// The callback deliveries of one of your executions (empty until it has ended).
#[utoipa::path(get, path = "/executions/{id}/deliveries", tag = "webhooks", security(("bearer" = [])),
    params(("id" = String, Path, description = "execution id")),
    responses((status = 200, body = Vec<DeliveryView>), (status = 404, description = "no such execution")))]
async fn deliveries(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<DeliveryView>>, ApiError> {
    let execution = owned(&state, &user, parse_job_id(&id)?).await?;
    let found = state.store.job_deliveries(execution.id).await?;
    Ok(Json(found.into_iter().map(DeliveryView::from).collect()))
}

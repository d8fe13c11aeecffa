//! API keys for programs and scripts: created and revoked by their owner, shown once, stored
//! hashed, usable as bearer tokens, with an optional expiry.

use axum::{
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Duration, Utc};
use code_remote_auth::ApiKeySecret;
use code_remote_store::{ApiKey, NewApiKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    audit::AuditEvent,
    error::{ApiError, Json},
    session::CurrentUser,
};

const MAX_NAME: usize = 64;
const MAX_KEYS_PER_USER: usize = 50;
const MAX_EXPIRY_DAYS: u32 = 3650;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(revoke))
        // A key's name and lifetime: a few hundred bytes.
        .layer(axum::extract::DefaultBodyLimit::max(SMALL_BODY_BYTES))
}

/// Largest body the key routes accept.
const SMALL_BODY_BYTES: usize = 16 * 1024;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    pub name: String,
    /// Days until the key stops working; none: it works until revoked.
    pub expires_in_days: Option<u32>,
}

/// A key as listed: never the secret itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<ApiKey> for KeyView {
    fn from(key: ApiKey) -> Self {
        Self {
            id: key.id,
            name: key.name,
            prefix: key.prefix,
            created_at: key.created_at,
            expires_at: key.expires_at,
            revoked_at: key.revoked_at,
            last_used_at: key.last_used_at,
        }
    }
}

/// A new key: `key` is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedKey {
    pub key: String,
    #[serde(flatten)]
    pub view: KeyView,
}

/// Create an API key.
#[utoipa::path(post, path = "/keys", tag = "keys", security(("bearer" = [])), request_body = CreateKey,
    responses((status = 201, body = CreatedKey), (status = 422, description = "invalid name or expiry")))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(request): Json<CreateKey>,
) -> Result<(StatusCode, Json<CreatedKey>), ApiError> {
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::validation(
            "name",
            format!("name must be 1 to {MAX_NAME} characters"),
        ));
    }
    let expires_at = match request.expires_in_days {
        Some(days) if days == 0 || days > MAX_EXPIRY_DAYS => {
            return Err(ApiError::validation(
                "expires_in_days",
                format!("expires_in_days must be 1 to {MAX_EXPIRY_DAYS}"),
            ));
        }
        Some(days) => Some(Utc::now() + Duration::days(i64::from(days))),
        None => None,
    };
    let active = state
        .store
        .list_api_keys(user.id)
        .await?
        .into_iter()
        .filter(|key| key.revoked_at.is_none())
        .count();
    if active >= MAX_KEYS_PER_USER {
        return Err(ApiError::Conflict {
            code: "too_many_keys",
            message: format!("at most {MAX_KEYS_PER_USER} active keys; revoke one first"),
        });
    }
    let secret = ApiKeySecret::generate();
    let key = state
        .store
        .create_api_key(NewApiKey {
            user_id: user.id,
            name,
            prefix: secret.prefix.clone(),
            hash: secret.hash,
            expires_at,
        })
        .await?;
    AuditEvent::new("key.created")
        .actor(user.id)
        .target(key.id.to_string())
        .record(&state)
        .await;
    Ok((
        StatusCode::CREATED,
        Json(CreatedKey {
            key: secret.full,
            view: key.into(),
        }),
    ))
}

/// The caller's API keys (without their secrets).
#[utoipa::path(get, path = "/keys", tag = "keys", security(("bearer" = [])), responses((status = 200, body = Vec<KeyView>)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<KeyView>>, ApiError> {
    Ok(Json(
        state
            .store
            .list_api_keys(user.id)
            .await?
            .into_iter()
            .map(KeyView::from)
            .collect(),
    ))
}

/// Revoke one of the caller's API keys.
#[utoipa::path(delete, path = "/keys/{id}", tag = "keys", security(("bearer" = [])), params(("id" = Uuid, Path, description = "key id")),
    responses((status = 204, description = "revoked"), (status = 404, description = "no such key")))]
async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: Uuid = id.parse().map_err(|_| ApiError::NotFound("key"))?;
    if !state.store.revoke_api_key(user.id, id).await? {
        return Err(ApiError::NotFound("key"));
    }
    AuditEvent::new("key.revoked")
        .actor(user.id)
        .target(id.to_string())
        .record(&state)
        .await;
    Ok(StatusCode::NO_CONTENT)
}

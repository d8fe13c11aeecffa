//! Who is calling: the `CurrentUser` extractor accepts our access tokens and API keys, from the
//! `Authorization: Bearer` header or, for browsers' WebSockets, a `?token=` query parameter.

use axum::{extract::FromRequestParts, http::request::Parts};
use chrono::Utc;
use code_remote_auth::{ApiKeySecret, TokenKind};
use code_remote_core::{Role, UserId};
use code_remote_store::User;

use crate::{AppState, error::ApiError};

/// The authenticated caller of a request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    /// The access token's id, when the caller used one (for logout).
    pub token_id: Option<(String, i64)>,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether this caller may see and control something owned by `owner`.
    pub fn may_access(&self, owner: UserId) -> bool {
        self.id == owner || self.is_admin()
    }
}

const MISSING: &str = "sign in first: send `Authorization: Bearer <token>`";
const INVALID: &str = "the access token or API key is not valid";

fn bearer(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        return scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned());
    }
    // Browsers cannot set headers on a WebSocket, so the token may come in the query.
    if parts.uri.path().ends_with("/ws") {
        let query = parts.uri.query()?;
        return query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "token")
            .map(|(_, value)| value.to_owned());
    }
    None
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized(MISSING))?;
        authenticate(state, &token).await
    }
}

/// Resolves a bearer credential to an active user.
pub async fn authenticate(state: &AppState, token: &str) -> Result<CurrentUser, ApiError> {
    if let Some(prefix) = ApiKeySecret::prefix_of(token) {
        let key = state.store.api_key_by_prefix(prefix).await?.ok_or(ApiError::Unauthorized(INVALID))?;
        let expired = key.expires_at.is_some_and(|at| at <= Utc::now());
        if !ApiKeySecret::verify(token, &key.hash) || key.revoked_at.is_some() || expired {
            return Err(ApiError::Unauthorized(INVALID));
        }
        let user = active_user(state, key.user_id).await?;
        return Ok(CurrentUser { id: user.id, username: user.username, role: user.role, token_id: None });
    }
    let claims = state.tokens.verify(token).map_err(|_| ApiError::Unauthorized(INVALID))?;
    if claims.kind != TokenKind::Access || state.store.is_token_revoked(&claims.jti).await? {
        return Err(ApiError::Unauthorized(INVALID));
    }
    let user = active_user(state, claims.sub).await?;
    // A password change or disabling bumps the version, revoking every older token at once.
    if user.token_version != claims.ver {
        return Err(ApiError::Unauthorized(INVALID));
    }
    Ok(CurrentUser { id: user.id, username: user.username, role: user.role, token_id: Some((claims.jti, claims.exp)) })
}

async fn active_user(state: &AppState, id: UserId) -> Result<User, ApiError> {
    match state.store.user(id).await? {
        Some(user) if !user.disabled => Ok(user),
        Some(_) => Err(ApiError::Unauthorized("this account is disabled")),
        None => Err(ApiError::Unauthorized(INVALID)),
    }
}

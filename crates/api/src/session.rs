//! Who is calling: the `CurrentUser` extractor accepts our access tokens and API keys, from the
//! `Authorization: Bearer` header or, for browsers' WebSockets, a `?token=` query parameter.

use axum::{extract::FromRequestParts, http::request::Parts};
use chrono::Utc;
use code_remote_auth::{ApiKeySecret, OidcIdentity, OidcVerifier, TokenKind};
use code_remote_core::{Role, UserId};
use code_remote_store::{NewUser, User};

use crate::{AppState, audit::AuditEvent, error::ApiError};

/// The authenticated caller of a request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: UserId,
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
const LAST_USED_RESOLUTION_SECS: i64 = 60;
const INVALID: &str = "the access token or API key is not valid";

fn bearer(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
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

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized(MISSING))?;
        let user = authenticate(state, &token).await?;
        state.throttle.user_request(user.id)?;
        Ok(user)
    }
}

/// Resolves a bearer credential to an active user.
pub async fn authenticate(state: &AppState, token: &str) -> Result<CurrentUser, ApiError> {
    if let Some(prefix) = ApiKeySecret::prefix_of(token) {
        let key = state
            .store
            .api_key_by_prefix(prefix)
            .await?
            .ok_or(ApiError::Unauthorized(INVALID))?;
        let expired = key.expires_at.is_some_and(|at| at <= Utc::now());
        if !ApiKeySecret::verify(token, &key.hash) || key.revoked_at.is_some() || expired {
            return Err(ApiError::Unauthorized(INVALID));
        }
        let user = active_user(state, key.user_id).await?;
        // "Last used" to the minute is enough, and keeps a write off most requests.
        if key
            .last_used_at
            .is_none_or(|at| Utc::now() - at > chrono::Duration::seconds(LAST_USED_RESOLUTION_SECS))
        {
            state.store.touch_api_key(key.id).await?;
        }
        return Ok(CurrentUser {
            id: user.id,
            role: user.role,
            token_id: None,
        });
    }
    if let Some(issuer) = OidcVerifier::peek_issuer(token)
        && issuer != state.tokens.settings().issuer
        && state.oidc.trusts(&issuer)
    {
        let identity = state.oidc.verify(token).await.map_err(|err| {
            tracing::info!(error = %err, "OpenID Connect token refused");
            ApiError::Unauthorized(INVALID)
        })?;
        let user = provisioned_user(state, identity).await?;
        return Ok(CurrentUser {
            id: user.id,
            role: user.role,
            token_id: None,
        });
    }
    let claims = state
        .tokens
        .verify(token)
        .map_err(|_| ApiError::Unauthorized(INVALID))?;
    if claims.kind != TokenKind::Access || state.store.is_token_revoked(&claims.jti).await? {
        return Err(ApiError::Unauthorized(INVALID));
    }
    let user = active_user(state, claims.sub).await?;
    // A password change or disabling bumps the version, revoking every older token at once.
    if user.token_version != claims.ver {
        return Err(ApiError::Unauthorized(INVALID));
    }
    Ok(CurrentUser {
        id: user.id,
        role: user.role,
        token_id: Some((claims.jti, claims.exp)),
    })
}

async fn active_user(state: &AppState, id: UserId) -> Result<User, ApiError> {
    match state.store.user(id).await? {
        Some(user) if !user.disabled => Ok(user),
        Some(_) => Err(ApiError::Unauthorized("this account is disabled")),
        None => Err(ApiError::Unauthorized(INVALID)),
    }
}

/// The account of an OpenID Connect identity, created on first sight (issuer + subject).
async fn provisioned_user(state: &AppState, identity: OidcIdentity) -> Result<User, ApiError> {
    if let Some(user) = state
        .store
        .user_by_oidc(&identity.issuer, &identity.subject)
        .await?
    {
        return if user.disabled {
            Err(ApiError::Unauthorized("this account is disabled"))
        } else {
            Ok(user)
        };
    }
    let base = username_hint(&identity);
    for attempt in 0..5 {
        let username = if attempt == 0 {
            base.clone()
        } else {
            format!("{base}-{:04x}", rand::random::<u16>())
        };
        let new = NewUser {
            username,
            email: identity.email.clone(),
            password_hash: None,
            role: Role::User,
            oidc: Some((identity.issuer.clone(), identity.subject.clone())),
        };
        match state.store.create_user(new).await {
            Ok(user) => {
                AuditEvent::new("user.provisioned_oidc")
                    .actor(user.id)
                    .target(&identity.issuer)
                    .record(state)
                    .await;
                return Ok(user);
            }
            // The same identity provisioned concurrently: use that account.
            Err(code_remote_store::Error::Conflict { .. }) => {
                if let Some(user) = state
                    .store
                    .user_by_oidc(&identity.issuer, &identity.subject)
                    .await?
                {
                    return Ok(user);
                }
            }
            Err(err) => return Err(err.into()),
        }
    }
    Err(ApiError::Conflict {
        code: "username_taken",
        message: "no free username could be found for this identity".into(),
    })
}

/// A valid username from the identity's preferred username or email.
fn username_hint(identity: &OidcIdentity) -> String {
    let raw = identity
        .preferred_username
        .clone()
        .or_else(|| {
            identity
                .email
                .as_ref()
                .and_then(|email| email.split('@').next().map(str::to_owned))
        })
        .unwrap_or_else(|| "user".into());
    let cleaned: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(24)
        .collect();
    let cleaned = cleaned.trim_start_matches(['.', '_', '-']).to_owned();
    if cleaned.len() < 3 {
        format!("user-{cleaned}")
    } else {
        cleaned
    }
}

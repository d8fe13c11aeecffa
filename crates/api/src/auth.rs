//! Accounts: register, log in, refresh, log out, change the password, and who am I.
//!
//! Every field is checked for length and shape before anything else happens (no lookup,
//! throttle key or audit entry for a malformed request), and these routes accept small bodies
//! only.

mod register;

use axum::{extract::DefaultBodyLimit, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use code_remote_auth::{
    TokenKind, check_password_length, hash_password, validate_password, validate_username,
    verify_password,
};
use code_remote_core::{Role, UserId};
use code_remote_store::{User, UserChange};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub use register::RegistrationMode;

use crate::{
    AppState,
    audit::AuditEvent,
    client_ip::ClientIp,
    error::{ApiError, Json},
    session::CurrentUser,
};

/// Largest body the auth routes accept: two passwords of at most 1 KiB each, JSON-escaped,
/// fit with room to spare; the global limit (megabytes, for code) is far too generous here (A1).
pub const AUTH_MAX_BODY_BYTES: usize = 8 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register::register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(settings))
        .layer(DefaultBodyLimit::max(AUTH_MAX_BODY_BYTES))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// An account as its owner and admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        Self {
            id: user.id,
            username: user.username,
            email: user.email,
            role: user.role,
            disabled: user.disabled,
            created_at: user.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub refresh_token: String,
    pub user: UserView,
}

fn tokens_for(state: &AppState, user: User) -> Result<TokenResponse, ApiError> {
    let (access_token, _) = state
        .tokens
        .issue(user.id, user.token_version, TokenKind::Access)
        .map_err(ApiError::internal)?;
    let (refresh_token, _) = state
        .tokens
        .issue(user.id, user.token_version, TokenKind::Refresh)
        .map_err(ApiError::internal)?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.tokens.settings().access_ttl.as_secs(),
        refresh_token,
        user: user.into(),
    })
}

/// Exchange a username and password for tokens.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "wrong username or password"), (status = 429, description = "too many attempts")))]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    // Load-bearing (A1): nothing below may see a name or password of unbounded size.
    validate_username(&request.username)
        .map_err(|err| ApiError::validation("username", err.to_string()))?;
    check_password_length(&request.password)
        .map_err(|err| ApiError::validation("password", err.to_string()))?;
    let key = state.throttle.login_key(&request.username, ip);
    state.throttle.login_attempt(key)?;
    let user = state.store.user_by_username(&request.username).await?;
    let stored = user.as_ref().and_then(|user| user.password_hash.clone());
    let password = request.password;
    // Unknown users are checked against a dummy hash, so both cases take as long.
    let valid = state
        .throttle
        .hash(move || verify_password(&password, stored.as_deref()))
        .await?;
    match user {
        Some(user) if valid && !user.disabled => {
            state.throttle.login_succeeded(key);
            AuditEvent::new("auth.login")
                .actor(user.id)
                .ip(ip)
                .record(&state)
                .await;
            Ok(Json(tokens_for(&state, user)?))
        }
        Some(user) if valid => {
            AuditEvent::new("auth.login_disabled")
                .actor(user.id)
                .ip(ip)
                .record(&state)
                .await;
            Err(ApiError::Unauthorized("this account is disabled"))
        }
        _ => {
            state.throttle.login_failed(key);
            AuditEvent::new("auth.login_failed")
                .target(request.username)
                .ip(ip)
                .record(&state)
                .await;
            Err(ApiError::Unauthorized("wrong username or password"))
        }
    }
}

/// Exchange a refresh token for new tokens; the old refresh token stops working. Using a
/// refresh token a second time signs the account out everywhere (the token was copied).
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "invalid refresh token")))]
async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    const INVALID: &str = "the refresh token is not valid; sign in again";
    let claims = state
        .tokens
        .verify(&request.refresh_token)
        .map_err(|_| ApiError::Unauthorized(INVALID))?;
    if claims.kind != TokenKind::Refresh {
        return Err(ApiError::Unauthorized(INVALID));
    }
    let user = state
        .store
        .user(claims.sub)
        .await?
        .ok_or(ApiError::Unauthorized(INVALID))?;
    if user.disabled || user.token_version != claims.ver {
        return Err(ApiError::Unauthorized(INVALID));
    }
    // Load-bearing (A9): only the request whose insert revoked the token gets new ones.
    let consumed = state
        .store
        .consume_token(&claims.jti, timestamp(claims.exp))
        .await?;
    if !consumed {
        // A refresh token used twice was copied: end every session of the account, the thief's
        // included (the owner signs in again).
        let change = UserChange {
            role: None,
            disabled: None,
            password_hash: None,
            bump_token_version: true,
        };
        state.store.update_user(user.id, change).await?;
        AuditEvent::new("auth.refresh_reused")
            .actor(user.id)
            .ip(ip)
            .record(&state)
            .await;
        return Err(ApiError::Unauthorized(INVALID));
    }
    Ok(Json(tokens_for(&state, user)?))
}

fn timestamp(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_else(Utc::now)
}

/// Revoke the access token used for this call (and the refresh token, if given).
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "signed out")))]
async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Option<Json<RefreshRequest>>,
) -> Result<StatusCode, ApiError> {
    if let Some((jti, exp)) = &user.token_id {
        state.store.revoke_token(jti, timestamp(*exp)).await?;
    }
    if let Some(Json(request)) = body
        && let Ok(claims) = state.tokens.verify(&request.refresh_token)
        && claims.sub == user.id
    {
        state
            .store
            .revoke_token(&claims.jti, timestamp(claims.exp))
            .await?;
    }
    AuditEvent::new("auth.logout")
        .actor(user.id)
        .record(&state)
        .await;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("bearer" = [])), responses((status = 200, body = UserView)))]
async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<UserView>, ApiError> {
    let user = state
        .store
        .user(user.id)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    Ok(Json(user.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// The answer to a password change: new tokens, and how many API keys were revoked.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordChanged {
    #[serde(flatten)]
    pub tokens: TokenResponse,
    /// Every API key of the account is revoked by a password change (A10); create new ones.
    pub revoked_api_keys: u64,
}

/// Change the caller's password. Every token issued before stops working and every API key of
/// the account is revoked; the answer carries new tokens.
#[utoipa::path(post, path = "/auth/password", tag = "auth", security(("bearer" = [])), request_body = ChangePassword,
    responses((status = 200, body = PasswordChanged), (status = 401, description = "wrong current password"), (status = 422, description = "new password too weak")))]
async fn change_password(
    State(state): State<AppState>,
    caller: CurrentUser,
    Json(request): Json<ChangePassword>,
) -> Result<Json<PasswordChanged>, ApiError> {
    check_password_length(&request.current_password)
        .map_err(|err| ApiError::validation("current_password", err.to_string()))?;
    validate_password(&request.new_password)
        .map_err(|err| ApiError::validation("new_password", err.to_string()))?;
    let user = state
        .store
        .user(caller.id)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    let stored = user.password_hash.clone();
    let (current, new) = (request.current_password, request.new_password);
    let hash = state
        .throttle
        .hash(move || {
            verify_password(&current, stored.as_deref())
                .then(|| hash_password(&new))
                .transpose()
        })
        .await?
        .map_err(ApiError::internal)?
        .ok_or(ApiError::Unauthorized("the current password is wrong"))?;
    let change = UserChange {
        role: None,
        disabled: None,
        password_hash: Some(hash),
        bump_token_version: true,
    };
    let user = state
        .store
        .update_user(caller.id, change)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    // A key planted by whoever knew the old password must not outlive it.
    let revoked_api_keys = state.store.revoke_api_keys_of(user.id).await?;
    AuditEvent::new("auth.password_changed")
        .actor(user.id)
        .detail(serde_json::json!({ "revoked_api_keys": revoked_api_keys }))
        .record(&state)
        .await;
    Ok(Json(PasswordChanged {
        tokens: tokens_for(&state, user)?,
        revoked_api_keys,
    }))
}

/// How clients may sign in on this server.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthSettings {
    /// Whether anyone may register without an invitation (`registration` is `open`).
    pub registration_open: bool,
    pub registration: RegistrationMode,
    /// OpenID Connect issuers whose tokens are accepted, with the client id (audience) to use.
    pub oidc_providers: Vec<OidcProviderView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OidcProviderView {
    pub issuer: String,
    pub client_id: String,
}

#[utoipa::path(get, path = "/auth/config", tag = "auth", responses((status = 200, body = AuthSettings)))]
async fn settings(State(state): State<AppState>) -> Json<AuthSettings> {
    let oidc_providers = state
        .config
        .oidc_providers
        .iter()
        .map(|provider| OidcProviderView {
            issuer: provider.issuer.clone(),
            client_id: provider.audience.clone(),
        })
        .collect();
    Json(AuthSettings {
        registration_open: state.config.registration == RegistrationMode::Open,
        registration: state.config.registration,
        oidc_providers,
    })
}

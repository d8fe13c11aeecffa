//! Accounts: register, log in, refresh, log out, and who am I.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use chrono::{DateTime, Utc};
use code_remote_auth::{
    TokenKind, hash_password, validate_password, validate_username, verify_password,
};
use code_remote_core::{Role, UserId};
use code_remote_store::{NewUser, User, UserChange};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    audit::AuditEvent,
    client_ip::ClientIp,
    error::{ApiError, Json},
    session::CurrentUser,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(settings))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub username: String,
    pub password: String,
    pub email: Option<String>,
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

/// Create an account. The first account becomes an admin.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = TokenResponse), (status = 409, description = "username taken"), (status = 422, description = "invalid username or password")))]
async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<RegisterRequest>,
) -> Result<impl IntoResponse, ApiError> {
    if !state.config.registration_open {
        return Err(ApiError::Forbidden(
            "registration is closed on this server; ask an administrator for an account",
        ));
    }
    validate_username(&request.username)
        .map_err(|err| ApiError::validation("username", err.to_string()))?;
    validate_password(&request.password)
        .map_err(|err| ApiError::validation("password", err.to_string()))?;
    if let Some(email) = &request.email
        && (!email.contains('@') || email.len() > 254)
    {
        return Err(ApiError::validation(
            "email",
            "email must be an address like name@example.org",
        ));
    }
    let password = request.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await?
        .map_err(ApiError::internal)?;
    let role = if state.store.count_users().await? == 0 {
        Role::Admin
    } else {
        Role::User
    };
    let new = NewUser {
        username: request.username,
        email: request.email,
        password_hash: Some(hash),
        role,
        oidc: None,
    };
    let user = match state.store.create_user(new).await {
        Ok(user) => user,
        Err(code_remote_store::Error::Conflict { .. }) => {
            return Err(ApiError::Conflict {
                code: "username_taken",
                message: "this username is already taken".into(),
            });
        }
        Err(err) => return Err(err.into()),
    };
    AuditEvent::new("user.registered")
        .actor(user.id)
        .target(&user.username)
        .ip(ip)
        .record(&state)
        .await;
    Ok((StatusCode::CREATED, Json(tokens_for(&state, user)?)))
}

/// Exchange a username and password for tokens.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "wrong username or password"), (status = 429, description = "too many attempts")))]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    state.throttle.login_attempt(&request.username, ip)?;
    let user = state.store.user_by_username(&request.username).await?;
    let stored = user.as_ref().and_then(|user| user.password_hash.clone());
    let password = request.password;
    // Unknown users are checked against a dummy hash, so both cases take as long.
    let valid =
        tokio::task::spawn_blocking(move || verify_password(&password, stored.as_deref())).await?;
    match user {
        Some(user) if valid && !user.disabled => {
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
            AuditEvent::new("auth.login_failed")
                .target(request.username)
                .ip(ip)
                .record(&state)
                .await;
            Err(ApiError::Unauthorized("wrong username or password"))
        }
    }
}

/// Exchange a refresh token for new tokens; the old refresh token stops working.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "invalid refresh token")))]
async fn refresh(
    State(state): State<AppState>,
    Json(request): Json<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    const INVALID: &str = "the refresh token is not valid; sign in again";
    let claims = state
        .tokens
        .verify(&request.refresh_token)
        .map_err(|_| ApiError::Unauthorized(INVALID))?;
    if claims.kind != TokenKind::Refresh || state.store.is_token_revoked(&claims.jti).await? {
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
    state
        .store
        .revoke_token(&claims.jti, timestamp(claims.exp))
        .await?;
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

/// Change the caller's password. Every token issued before stops working; the answer carries
/// new ones.
#[utoipa::path(post, path = "/auth/password", tag = "auth", security(("bearer" = [])), request_body = ChangePassword,
    responses((status = 200, body = TokenResponse), (status = 401, description = "wrong current password"), (status = 422, description = "new password too weak")))]
async fn change_password(
    State(state): State<AppState>,
    caller: CurrentUser,
    Json(request): Json<ChangePassword>,
) -> Result<Json<TokenResponse>, ApiError> {
    validate_password(&request.new_password)
        .map_err(|err| ApiError::validation("new_password", err.to_string()))?;
    let user = state
        .store
        .user(caller.id)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    let stored = user.password_hash.clone();
    let (current, new) = (request.current_password, request.new_password);
    let hash = tokio::task::spawn_blocking(move || {
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
    AuditEvent::new("auth.password_changed")
        .actor(user.id)
        .record(&state)
        .await;
    Ok(Json(tokens_for(&state, user)?))
}

/// How clients may sign in on this server.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthSettings {
    pub registration_open: bool,
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
        registration_open: state.config.registration_open,
        oidc_providers,
    })
}

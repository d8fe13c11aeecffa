//! Self-service registration, and who may use it: `open` (anyone), `invite` (with a single-use
//! code from an administrator) or `closed` (administrators create accounts from the command
//! line). The first account of a server becomes its administrator; the store decides that
//! atomically, so racing sign-ups cannot produce two (A7).
//!
//! Registration is limited per address and password hashing is limited server-wide (A8).

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use code_remote_auth::{
    InvitationCode, MAX_INVITATION_BYTES, hash_password, validate_password, validate_username,
};
use code_remote_core::Role;
use code_remote_store::NewUser;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{TokenResponse, tokens_for};
use crate::{
    AppState,
    audit::AuditEvent,
    client_ip::ClientIp,
    error::{ApiError, Json},
};

/// Longest email address (RFC 5321's path limit).
const MAX_EMAIL_BYTES: usize = 254;

/// Who may create an account through the API.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationMode {
    /// Anyone may register (the default, for the one-command laptop start).
    #[default]
    Open,
    /// Only with an invitation code from `POST /admin/invitations` or `code-remote user invite`.
    Invite,
    /// Nobody: accounts come from `code-remote user create` or OpenID Connect.
    Closed,
}

impl std::str::FromStr for RegistrationMode {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(Self::Open),
            "invite" => Ok(Self::Invite),
            "closed" => Ok(Self::Closed),
            other => Err(format!(
                "`{other}` is not a registration mode (open, invite or closed)"
            )),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub username: String,
    pub password: String,
    pub email: Option<String>,
    /// The invitation code, when the server's registration mode is `invite`.
    pub invitation: Option<String>,
}

/// Create an account. The first account becomes an admin.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = TokenResponse), (status = 403, description = "registration closed"),
        (status = 409, description = "username taken"),
        (status = 422, description = "invalid username, password or invitation"),
        (status = 429, description = "too many registrations from this address")))]
pub(super) async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<RegisterRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let mode = state.config.registration;
    if mode == RegistrationMode::Closed {
        return Err(ApiError::Forbidden(
            "registration is closed on this server; ask an administrator for an account",
        ));
    }
    validate_username(&request.username)
        .map_err(|err| ApiError::validation("username", err.to_string()))?;
    validate_password(&request.password)
        .map_err(|err| ApiError::validation("password", err.to_string()))?;
    if let Some(email) = &request.email
        && (!email.contains('@') || email.len() > MAX_EMAIL_BYTES)
    {
        return Err(ApiError::validation(
            "email",
            "email must be an address like name@example.org",
        ));
    }
    let invitation = match (mode, &request.invitation) {
        (RegistrationMode::Invite, None) => {
            return Err(ApiError::Validation {
                code: "invitation_required",
                message: "this server registers new accounts by invitation only; ask an administrator for a code".into(),
                field: Some("invitation"),
            });
        }
        (RegistrationMode::Invite, Some(code)) if code.len() > MAX_INVITATION_BYTES => {
            return Err(invitation_not_valid());
        }
        (RegistrationMode::Invite, Some(code)) => Some(InvitationCode::hash(code)),
        _ => None,
    };
    // After validation, before the expensive part.
    state.throttle.registration_attempt(ip)?;
    let password = request.password;
    let hash = state
        .throttle
        .hash(move || hash_password(&password))
        .await?
        .map_err(ApiError::internal)?;
    let new = NewUser {
        username: request.username,
        email: request.email,
        password_hash: Some(hash),
        role: Role::User,
        oidc: None,
    };
    let user = match state.store.register_user(new, invitation.as_deref()).await {
        Ok(user) => user,
        Err(code_remote_store::Error::Conflict { .. }) => {
            return Err(ApiError::Conflict {
                code: "username_taken",
                message: "this username is already taken".into(),
            });
        }
        Err(code_remote_store::Error::InvitationNotValid) => return Err(invitation_not_valid()),
        Err(err) => return Err(err.into()),
    };
    state
        .throttle
        .login_succeeded(state.throttle.login_key(&user.username, ip));
    AuditEvent::new("user.registered")
        .actor(user.id)
        .target(&user.username)
        .ip(ip)
        .detail(serde_json::json!({ "role": user.role, "invited": invitation.is_some() }))
        .record(&state)
        .await;
    Ok((StatusCode::CREATED, Json(tokens_for(&state, user)?)))
}

fn invitation_not_valid() -> ApiError {
    ApiError::Validation {
        code: "invitation_not_valid",
        message: "the invitation code is unknown, used already or expired".into(),
        field: Some("invitation"),
    }
}

//! Administration: list users, change a role, disable an account (its tokens stop working at
//! once), invite someone, read the audit log. Admins only.

use axum::{
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Duration, Utc};
use code_remote_auth::InvitationCode;
use code_remote_core::{Role, UserId};
use code_remote_store::{AuditEntry, NewInvitation, UserChange};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    audit::AuditEvent,
    auth::UserView,
    error::{ApiError, Json, Query},
    session::CurrentUser,
};

const MAX_PAGE: u32 = 200;
const DEFAULT_INVITATION_HOURS: u32 = 7 * 24;
const MAX_INVITATION_HOURS: u32 = 30 * 24;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users))
        .routes(routes!(update_user))
        .routes(routes!(audit_log))
        .routes(routes!(create_invitation))
        // A role, a flag, an invitation's lifetime: a few hundred bytes.
        .layer(axum::extract::DefaultBodyLimit::max(SMALL_BODY_BYTES))
}

/// Largest body the admin routes accept.
const SMALL_BODY_BYTES: usize = 16 * 1024;

fn require_admin(user: &CurrentUser) -> Result<(), ApiError> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("administrators only"))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersParams {
    pub limit: Option<u32>,
    /// The id of the last user of the previous page.
    pub after: Option<UserId>,
}

/// Every account.
#[utoipa::path(get, path = "/admin/users", tag = "admin", security(("bearer" = [])), params(UsersParams),
    responses((status = 200, body = Vec<UserView>), (status = 403, description = "not an admin")))]
async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<UsersParams>,
) -> Result<Json<Vec<UserView>>, ApiError> {
    require_admin(&user)?;
    let limit = params.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    Ok(Json(
        state
            .store
            .list_users(limit, params.after)
            .await?
            .into_iter()
            .map(UserView::from)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// Change an account's role or disable it.
#[utoipa::path(patch, path = "/admin/users/{id}", tag = "admin", security(("bearer" = [])), request_body = UpdateUser,
    params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = UserView), (status = 403, description = "not an admin"), (status = 404, description = "no such user"), (status = 409, description = "an administrator cannot disable or demote their own account")))]
async fn update_user(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path(id): Path<String>,
    Json(request): Json<UpdateUser>,
) -> Result<Json<UserView>, ApiError> {
    require_admin(&admin)?;
    let id: UserId = id.parse().map_err(|_| ApiError::NotFound("user"))?;
    if id == admin.id && (request.disabled == Some(true) || request.role == Some(Role::User)) {
        return Err(ApiError::Conflict {
            code: "cannot_demote_self",
            message: "an administrator cannot disable or demote their own account".into(),
        });
    }
    let change = UserChange {
        role: request.role,
        disabled: request.disabled,
        password_hash: None,
        // Disabling revokes every token the user holds.
        bump_token_version: request.disabled == Some(true),
    };
    let user = state
        .store
        .update_user(id, change)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    for (action, changed) in [
        ("user.role_changed", request.role.is_some()),
        ("user.disabled_changed", request.disabled.is_some()),
    ] {
        if changed {
            let detail = serde_json::json!({ "role": user.role, "disabled": user.disabled });
            AuditEvent::new(action)
                .actor(admin.id)
                .target(user.id.to_string())
                .detail(detail)
                .record(&state)
                .await;
        }
    }
    Ok(Json(user.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    pub limit: Option<u32>,
    /// The id of the last entry of the previous page.
    pub before: Option<i64>,
}

/// Security events, newest first.
#[utoipa::path(get, path = "/admin/audit", tag = "admin", security(("bearer" = [])), params(AuditParams),
    responses((status = 200, description = "audit entries, newest first", body = Vec<AuditEntry>), (status = 403, description = "not an admin")))]
async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<AuditParams>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    require_admin(&user)?;
    let limit = params.limit.unwrap_or(100).clamp(1, MAX_PAGE);
    Ok(Json(state.store.audit_log(limit, params.before).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvitation {
    /// Hours until the code stops working (default 168, at most 720).
    pub expires_in_hours: Option<u32>,
}

/// A new invitation: `code` is shown this once; it registers one account.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedInvitation {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// Create a single-use invitation code (for `registration = invite`).
#[utoipa::path(post, path = "/admin/invitations", tag = "admin", security(("bearer" = [])), request_body = CreateInvitation,
    responses((status = 201, body = CreatedInvitation), (status = 403, description = "not an admin"), (status = 422, description = "invalid expiry")))]
async fn create_invitation(
    State(state): State<AppState>,
    admin: CurrentUser,
    Json(request): Json<CreateInvitation>,
) -> Result<(StatusCode, Json<CreatedInvitation>), ApiError> {
    require_admin(&admin)?;
    let hours = request.expires_in_hours.unwrap_or(DEFAULT_INVITATION_HOURS);
    if hours == 0 || hours > MAX_INVITATION_HOURS {
        return Err(ApiError::validation(
            "expires_in_hours",
            format!("expires_in_hours must be 1 to {MAX_INVITATION_HOURS}"),
        ));
    }
    let invitation = InvitationCode::generate();
    let expires_at = Utc::now() + Duration::hours(i64::from(hours));
    state
        .store
        .create_invitation(NewInvitation {
            code_hash: invitation.hash,
            created_by: Some(admin.id),
            expires_at,
        })
        .await?;
    AuditEvent::new("invitation.created")
        .actor(admin.id)
        .detail(serde_json::json!({ "expires_at": expires_at }))
        .record(&state)
        .await;
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvitation {
            code: invitation.code,
            expires_at,
        }),
    ))
}

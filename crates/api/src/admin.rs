//! Administration: list users, change a role, disable an account (its tokens stop working at
//! once), read the audit log. Admins only.

use axum::extract::{Path, State};
use code_remote_core::{Role, UserId};
use code_remote_store::{AuditEntry, UserChange};
use serde::Deserialize;
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

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users))
        .routes(routes!(update_user))
        .routes(routes!(audit_log))
}

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
    responses((status = 200, description = "audit entries, newest first"), (status = 403, description = "not an admin")))]
async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<AuditParams>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    require_admin(&user)?;
    let limit = params.limit.unwrap_or(100).clamp(1, MAX_PAGE);
    Ok(Json(state.store.audit_log(limit, params.before).await?))
}

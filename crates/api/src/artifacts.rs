//! `GET /executions/{id}/artifacts/{name}`: one file a run handed back, to its owner (and
//! admins) only; anyone else gets the same 404 as for a missing file.
//!
//! Serving rules, because an artifact is content the program chose: raster images (PNG, JPEG,
//! GIF, WebP) are served inline with their type; everything else, SVG included (it can carry
//! script), as an attachment. Every answer carries `X-Content-Type-Options: nosniff` and a
//! `Content-Security-Policy` with `sandbox`, so even a document opened directly runs no script
//! in this origin.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use code_remote_core::{is_artifact_name, is_inline_image};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{AppState, error::ApiError, executions::parse_job_id, session::CurrentUser};

/// What a browser may do with an artifact it was handed: nothing active.
const ARTIFACT_CSP: &str =
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_artifact))
}

/// One artifact of an execution: raster images inline with their type, anything else as an
/// attachment.
#[utoipa::path(get, path = "/executions/{id}/artifacts/{name}", tag = "executions", security(("bearer" = [])),
    params(("id" = String, Path, description = "execution id"),
        ("name" = String, Path, description = "artifact name, as listed in the execution's `artifacts`")),
    responses((status = 200, description = "the file's bytes", content(
            (String = "image/png"), (String = "image/jpeg"), (String = "image/gif"), (String = "image/webp"),
            (String = "image/svg+xml"), (String = "application/pdf"), (String = "text/csv"),
            (String = "text/tab-separated-values"), (String = "text/plain"), (String = "text/markdown"),
            (String = "application/json"), (String = "application/octet-stream"))),
        (status = 404, description = "no such execution or artifact")))]
async fn get_artifact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let job = parse_job_id(&id)?;
    // Only names the collector could have produced are looked up.
    if !is_artifact_name(&name) {
        return Err(ApiError::NotFound("artifact"));
    }
    match state.store.job_owner(job).await? {
        Some((owner, _)) if user.may_access(owner) => {}
        _ => return Err(ApiError::NotFound("artifact")),
    }
    let Some((info, data)) = state.store.artifact(job, &name).await? else {
        return Err(ApiError::NotFound("artifact"));
    };
    let disposition = if is_inline_image(&info.media_type) {
        "inline"
    } else {
        "attachment"
    };
    // The name is letters, digits, `.`, `-` and `_` only: safe inside the quotes.
    let disposition = format!("{disposition}; filename=\"{}\"", info.name);
    Ok((
        [
            (header::CONTENT_TYPE, info.media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CONTENT_SECURITY_POLICY, ARTIFACT_CSP.to_string()),
            (
                header::CACHE_CONTROL,
                "private, max-age=86400, immutable".to_string(),
            ),
        ],
        data,
    )
        .into_response())
}

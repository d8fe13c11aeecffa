//! The Judge0 CE API (v1.13.1 semantics) under `/judge0`, so Judge0 clients and the official
//! `judge0` Python SDK work with only a new base URL and an API key.
//!
//! A submission is an ordinary execution of the key's owner (same queue, quotas and history) and
//! its token is the execution id. Only Python exists here; every difference from Judge0 is listed
//! in `docs/compat.md`. This module does not run anything itself and keeps no state of its own.

mod meta;
mod render;
mod request;
mod submissions;

use axum::{
    Router,
    body::Body,
    extract::FromRequestParts,
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Map, Value, json};

use crate::{AppState, error::ApiError, session::CurrentUser};

pub(crate) use meta::python_version;

/// The body Judge0 PUTs to a submission's `callback_url`: the 8 default fields, base64-encoded
/// (as Judge0 always sends them).
pub(crate) async fn callback_body(
    execution: &code_remote_core::Execution,
    judge0: &code_remote_store::Judge0Callback,
) -> String {
    let token = render::Token {
        id: execution.id,
        expected: judge0.expected_digest.clone(),
    };
    let language_name = meta::language_of(71).await.unwrap_or_default();
    render::View {
        execution,
        token: &token,
        language_name: &language_name,
    }
    .render(&render::DEFAULT_FIELDS, true)
    .to_string()
}

/// Judge0's own authentication header.
const AUTH_HEADER: &str = "x-auth-token";
const MISSING: &str = "send an API key in `X-Auth-Token` (or `Authorization: Bearer <key>`)";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/submissions", post(submissions::create))
        .route(
            "/submissions/batch",
            post(submissions::create_batch).get(submissions::get_batch),
        )
        .route("/submissions/{token}", get(submissions::get_one))
        .route("/languages", get(meta::languages))
        .route("/languages/all", get(meta::all_languages))
        .route("/languages/{id}", get(meta::language))
        .route("/statuses", get(meta::statuses))
        .route("/about", get(meta::about))
        .route("/version", get(meta::version))
        .route("/config_info", get(meta::config_info))
        .route("/system_info", get(meta::system_info))
        .route("/workers", get(meta::workers))
        .route("/authenticate", post(meta::authenticate))
        .fallback(|| async { Judge0Error::NotFound("route") })
}

/// An error in Judge0's shapes: `{"error": "…"}`, or for 422 a map from field to messages.
#[derive(Debug)]
pub(crate) enum Judge0Error {
    /// 400 `{"error": …}`.
    BadRequest(String),
    /// 422 `{"field": ["message", …]}`.
    Invalid(Map<String, Value>),
    /// 404 `{"error": "… not found"}`.
    NotFound(&'static str),
    /// Our own error (401, 429, 503, 500, …) with its status and headers, in Judge0's body.
    Api(ApiError),
}

impl From<ApiError> for Judge0Error {
    fn from(err: ApiError) -> Self {
        Self::Api(err)
    }
}

impl From<code_remote_store::Error> for Judge0Error {
    fn from(err: code_remote_store::Error) -> Self {
        Self::Api(err.into())
    }
}

impl IntoResponse for Judge0Error {
    fn into_response(self) -> Response {
        match self {
            Self::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({ "error": message })),
            )
                .into_response(),
            Self::Invalid(fields) => {
                (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(fields)).into_response()
            }
            Self::NotFound(what) => (
                StatusCode::NOT_FOUND,
                axum::Json(json!({ "error": format!("{what} not found") })),
            )
                .into_response(),
            Self::Api(err) => reshape(err, |message| json!({ "error": message })),
        }
    }
}

/// Our error's status and headers (Retry-After, the 5xx log detail) with another API's body.
/// 5xx answers keep our generic body: their details only go to the log.
pub(crate) fn reshape(err: ApiError, body: impl FnOnce(String) -> Value) -> Response {
    if err.status().is_server_error() && !matches!(err, ApiError::Unavailable { .. }) {
        return err.into_response();
    }
    let message = err.to_string();
    let (mut parts, _) = err.into_response().into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body(message).to_string()))
}

/// The caller, authenticated by an API key (or access token) in `X-Auth-Token`, in
/// `Authorization: Bearer`, or in an `X-Auth-Token` query parameter as Judge0 allows.
pub(crate) struct Judge0User(pub CurrentUser);

fn credential(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(AUTH_HEADER) {
        return value.to_str().ok().map(|v| v.trim().to_owned());
    }
    if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        let (scheme, token) = value.to_str().ok()?.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
    }
    parts.uri.query().and_then(|query| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| key.eq_ignore_ascii_case(AUTH_HEADER))
            .map(|(_, value)| value.to_owned())
    })
}

impl FromRequestParts<AppState> for Judge0User {
    type Rejection = Judge0Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = credential(parts)
            .filter(|token| !token.is_empty())
            .ok_or(ApiError::Unauthorized(MISSING))?;
        let user = crate::session::authenticate(state, &token).await?;
        state.throttle.user_request(user.id)?;
        Ok(Self(user))
    }
}

//! The Piston v2 API under `/piston/api/v2`: `POST /execute` and `GET /runtimes`, so Piston
//! clients (`piston-client`, `aiopyston`, `piston_rs`) work with a new base URL and an API key.
//!
//! It is lenient where the clients are sloppy: no Content-Type, trailing slashes, the public
//! proxy's `/piston/…` paths, empty file names and `-1` limits. A run is an ordinary execution of
//! the key's owner, also through the interactive `/connect` WebSocket.

mod connect;
mod execute;

use axum::{
    Router,
    extract::FromRequestParts,
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};

use crate::{AppState, error::ApiError, judge0::python_version, session::CurrentUser};

const MISSING: &str =
    "send an API key in `Authorization: <key>` (or `Authorization: Bearer <key>`)";

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    // The public emkc proxy's paths (`/api/v2/piston/…`) too, and every path with a trailing slash.
    for prefix in ["", "/piston"] {
        for slash in ["", "/"] {
            router = router
                .route(&format!("{prefix}/execute{slash}"), post(execute::execute))
                .route(&format!("{prefix}/runtimes{slash}"), get(runtimes));
        }
    }
    router = router
        .route("/connect", get(connect::connect))
        .route("/piston/connect", get(connect::connect));
    router.fallback(|| async {
        (
            StatusCode::NOT_FOUND,
            axum::Json(json!({ "message": "Not Found" })),
        )
    })
}

/// An error in Piston's shape: `{"message": "…"}`.
#[derive(Debug)]
pub(crate) enum PistonError {
    /// 400.
    BadRequest(String),
    /// Our own error (401, 429, 503, 500, …) with its status and headers.
    Api(ApiError),
}

impl PistonError {
    /// The words a client sees (5xx details stay in the log).
    pub(crate) fn message(&self) -> String {
        match self {
            Self::BadRequest(message) => message.clone(),
            Self::Api(ApiError::Internal(_)) => "the server failed to handle this request".into(),
            Self::Api(err) => err.to_string(),
        }
    }
}

impl From<ApiError> for PistonError {
    fn from(err: ApiError) -> Self {
        Self::Api(err)
    }
}

impl From<code_remote_store::Error> for PistonError {
    fn from(err: code_remote_store::Error) -> Self {
        Self::Api(err.into())
    }
}

impl IntoResponse for PistonError {
    fn into_response(self) -> Response {
        match self {
            Self::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({ "message": message })),
            )
                .into_response(),
            Self::Api(err) => crate::judge0::reshape(err, |message| json!({ "message": message })),
        }
    }
}

/// The caller, by an API key (or access token) in `Authorization`, bare or after `Bearer`.
pub(crate) struct PistonUser(pub CurrentUser);

impl FromRequestParts<AppState> for PistonUser {
    type Rejection = PistonError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .unwrap_or_default();
        let token = match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => value,
        };
        if token.is_empty() {
            return Err(ApiError::Unauthorized(MISSING).into());
        }
        let user = crate::session::authenticate(state, token).await?;
        state.throttle.user_request(user.id)?;
        Ok(Self(user))
    }
}

/// Names a client may use for our Python besides `python`.
fn aliases(version: &str) -> Vec<String> {
    let minor: Vec<&str> = version.split('.').take(2).collect();
    let mut names = vec!["py".to_owned(), "py3".to_owned(), "python3".to_owned()];
    if minor.len() == 2 {
        names.push(format!("python{}", minor.join(".")));
    }
    names
}

async fn runtimes(_: PistonUser) -> axum::Json<Value> {
    let version = python_version().await;
    axum::Json(json!([{ "language": "python", "version": version, "aliases": aliases(version) }]))
}

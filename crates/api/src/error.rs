//! The one error type at the HTTP edge. Every variant renders `{"error":{"code","message"}}`;
//! 5xx bodies are generic and their details are logged once by [`log_server_errors`].

use std::time::Duration;

use axum::{
    extract::{FromRequest, Request, rejection::JsonRejection},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};

/// How long a client is asked to wait when the database is full or unreachable.
const STORAGE_RETRY_AFTER: Duration = Duration::from_secs(5);

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (bad JSON, bad query, bad cursor).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// 422: the request is well-formed but a field is not acceptable.
    #[error("{message}")]
    Validation {
        code: &'static str,
        message: String,
        field: Option<&'static str>,
    },
    /// 401: no credentials, or credentials that are not valid.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 403: valid credentials that may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// 404: no such resource (or not the caller's).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 409: conflicts with the current state (e.g. a taken username).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 413: the body is larger than the server accepts.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 429: a rate limit or quota was hit; retry after the given time.
    #[error("{message}")]
    TooManyRequests {
        code: &'static str,
        message: String,
        retry_after: Duration,
    },
    /// 503: the server cannot take this now (queue full, database unreachable).
    #[error("{message}")]
    Unavailable {
        code: &'static str,
        message: String,
        retry_after: Option<Duration>,
    },
    /// 500: the platform failed; the client gets a generic message, the log gets this.
    #[error("{0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

#[derive(Serialize)]
struct Body<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

/// Attached to 5xx responses so one middleware logs the cause once.
#[derive(Clone)]
struct ServerErrorDetail(String);

impl ApiError {
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(err))
    }

    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation {
            code: "validation_failed",
            message: message.into(),
            field: Some(field),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Validation { code, .. }
            | Self::Conflict { code, .. }
            | Self::TooManyRequests { code, .. }
            | Self::Unavailable { code, .. } => code,
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::Internal(_) => "internal_error",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            Self::Internal(_) => "the server failed to handle this request".to_owned(),
            other => other.to_string(),
        };
        let field = match &self {
            Self::Validation { field, .. } => *field,
            _ => None,
        };
        let body = Body {
            error: ErrorBody {
                code: self.code(),
                message,
                field,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        let retry_after = match &self {
            Self::TooManyRequests { retry_after, .. } => Some(*retry_after),
            Self::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        };
        if let Some(wait) = retry_after {
            let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Self::Internal(source) = &self {
            response
                .extensions_mut()
                .insert(ServerErrorDetail(format!("{source:#}")));
        }
        response
    }
}

impl From<code_remote_store::Error> for ApiError {
    fn from(err: code_remote_store::Error) -> Self {
        match err {
            code_remote_store::Error::BadCursor => Self::BadRequest {
                code: "invalid_cursor",
                message: "the pagination cursor is not valid".into(),
            },
            code_remote_store::Error::StorageFull(source) => {
                tracing::error!(error = %source, "the database's storage is full");
                Self::Unavailable {
                    code: "storage_full",
                    message: "the server's storage is full; nothing was saved, try again later"
                        .into(),
                    retry_after: Some(STORAGE_RETRY_AFTER),
                }
            }
            code_remote_store::Error::Unavailable(source) => {
                tracing::error!(error = %source, "the database is unavailable");
                Self::Unavailable {
                    code: "database_unavailable",
                    message: "the server cannot reach its database; try again shortly".into(),
                    retry_after: Some(STORAGE_RETRY_AFTER),
                }
            }
            other => Self::internal(other),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(err: tokio::task::JoinError) -> Self {
        Self::internal(err)
    }
}

/// Refuses a request whose declared `Content-Length` is over `max` before reading any of it, so
/// the client gets a 413 with our error body (and, with `Expect: 100-continue`, before it sends
/// the body). Bodies without a length are cut off at `max` by the extractors' body limit.
pub async fn refuse_oversized_bodies(
    axum::extract::State(max): axum::extract::State<usize>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max as u64) {
        return ApiError::PayloadTooLarge(format!(
            "the request body is larger than this server accepts ({max} bytes)"
        ))
        .into_response();
    }
    next.run(request).await
}

/// Logs the cause of every 5xx answer, once.
pub async fn log_server_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if let Some(ServerErrorDetail(detail)) = response.extensions().get::<ServerErrorDetail>() {
        tracing::error!(%method, %path, status = response.status().as_u16(), error = %detail, "request failed");
    }
    response
}

/// `axum::Json` with our error body for malformed, mistyped or oversized JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// `axum`'s `WebSocketUpgrade` with our error body when the request is not a WebSocket upgrade.
pub struct WsUpgrade(pub axum::extract::WebSocketUpgrade);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for WsUpgrade {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::WebSocketUpgrade::from_request_parts(parts, state)
            .await
            .map(Self)
            .map_err(|rejection| ApiError::BadRequest {
                code: "not_a_websocket_upgrade",
                message: format!(
                    "this route takes a WebSocket upgrade: {}",
                    rejection.body_text()
                ),
            })
    }
}

/// `Option<Json<T>>`: `None` when the request has no JSON body at all, our error body when it
/// has a malformed one.
impl<S, T> axum::extract::OptionalFromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        match <axum::Json<T> as axum::extract::OptionalFromRequest<S>>::from_request(request, state)
            .await
        {
            Ok(value) => Ok(value.map(|axum::Json(value)| Self(value))),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let message = rejection.body_text();
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge("the request body is too large".into())
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::BadRequest {
            code: "unsupported_media_type",
            message: "send the body as JSON with `Content-Type: application/json`".into(),
        },
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::Validation {
            code: "invalid_body",
            message,
            field: None,
        },
        _ => ApiError::BadRequest {
            code: "malformed_json",
            message,
        },
    }
}

/// `axum::extract::Query` with our error body for a malformed query string.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::BadRequest {
                code: "invalid_query",
                message: rejection.body_text(),
            }),
        }
    }
}

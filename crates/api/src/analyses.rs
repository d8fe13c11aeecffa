//! `POST /analyses`: time and space complexity of a program.

use axum::extract::State;
use code_remote_analyzer::{Analysis, Error as AnalyzerError, Mode};
use code_remote_core::MAX_CODE_BYTES;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    error::{ApiError, Json},
    session::CurrentUser,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(analyze))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeRequest {
    pub code: String,
    /// `static` (default offline analysis), `llm`, `empirical` or `auto`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub mode: Option<Mode>,
}

/// Analyze a program's complexity.
#[utoipa::path(post, path = "/analyses", tag = "analyses", security(("bearer" = [])), request_body = AnalyzeRequest,
    responses((status = 200, body = Analysis), (status = 422, description = "syntax error (with line and column) or code too large")))]
async fn analyze(
    State(state): State<AppState>,
    _user: CurrentUser,
    Json(request): Json<AnalyzeRequest>,
) -> Result<Json<Analysis>, ApiError> {
    if request.code.len() > MAX_CODE_BYTES {
        return Err(ApiError::validation(
            "code",
            format!("code must be at most {} KiB", MAX_CODE_BYTES / 1024),
        ));
    }
    let mode = request.mode.unwrap_or(Mode::Auto);
    if mode == Mode::Empirical && state.measure.is_none() {
        return Err(ApiError::Unavailable {
            code: "measurement_unavailable",
            message: "this server node has no sandbox to measure with; use mode static or auto"
                .into(),
            retry_after: None,
        });
    }
    let measure = state.measure.as_deref();
    match state.analyzer.analyze(&request.code, mode, measure).await {
        Ok(analysis) => Ok(Json(analysis)),
        Err(AnalyzerError::Syntax {
            line,
            column,
            message,
        }) => Err(ApiError::Validation {
            code: "syntax_error",
            message: format!("syntax error at line {line}, column {column}: {message}"),
            field: Some("code"),
        }),
        // The analysis is bounded: code too large, too deeply nested or too costly to analyse
        // is the client's input, not a server failure.
        Err(
            err @ (AnalyzerError::TooLarge { .. }
            | AnalyzerError::TooDeep { .. }
            | AnalyzerError::Budget { .. }),
        ) => Err(ApiError::Validation {
            code: "too_complex",
            message: err.to_string(),
            field: Some("code"),
        }),
        Err(err) => Err(ApiError::internal(err)),
    }
}

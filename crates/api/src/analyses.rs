//! `POST /analyses`: time and space complexity of a program.
//!
//! Static analysis runs here, on a blocking thread. Measurement (`empirical` mode) runs the
//! user's code, so it is a queued job like an execution: workers claim it under the same
//! caps, per-user order, running limit, leases and CPU quota, and this handler waits for its
//! result. So it also works on API-only nodes (`--workers 0`).

use std::time::Duration;

use axum::extract::State;
use code_remote_analyzer::{
    Analysis, Error as AnalyzerError, Measurements, Mode, add_measurement, empirical,
};
use code_remote_core::{Execution, JobSpec, JobStatus, Limits, MAX_CODE_BYTES, UserId};
use code_remote_store::{CancelResult, Control, JobKind};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    error::{ApiError, Json},
    executions, hub,
    session::CurrentUser,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(analyze))
        // Code of at most 256 KiB, each byte at most six in JSON (`\u0000`), and a mode.
        .layer(axum::extract::DefaultBodyLimit::max(
            MAX_CODE_BYTES * 6 + 1024,
        ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeRequest {
    pub code: String,
    /// `static` (default offline analysis), `llm`, `empirical` or `auto`.
    #[serde(default)]
    pub mode: Option<Mode>,
}

/// Analyze a program's complexity.
///
/// Classes are canonical strings over named sizes (`O(n log n)`, `O(n*m)`, `O(V + E)`);
/// `variables` says what each letter stands for in the code (`{"n": "len(grid)"}`). Space is
/// auxiliary space: memory the program allocates beyond its inputs, which are not counted.
#[utoipa::path(post, path = "/analyses", tag = "analyses", security(("bearer" = [])), request_body = AnalyzeRequest,
    responses((status = 200, body = Analysis), (status = 422, description = "syntax error (with line and column) or code too large"),
        (status = 429, description = "empirical mode: too many queued jobs for this user, or the daily CPU quota is used up"),
        (status = 503, description = "empirical mode: the queue is full")))]
async fn analyze(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(request): Json<AnalyzeRequest>,
) -> Result<Json<Analysis>, ApiError> {
    if request.code.len() > MAX_CODE_BYTES {
        return Err(ApiError::validation(
            "code",
            format!("code must be at most {} KiB", MAX_CODE_BYTES / 1024),
        ));
    }
    // Static unless asked: a configured model is not called (and paid for) on every request.
    let mode = request.mode.unwrap_or(Mode::Static);
    let mut analysis = match state.analyzer.analyze(&request.code, mode).await {
        Ok(analysis) => analysis,
        Err(AnalyzerError::Syntax {
            line,
            column,
            message,
        }) => {
            return Err(ApiError::Validation {
                code: "syntax_error",
                message: format!("syntax error at line {line}, column {column}: {message}"),
                field: Some("code"),
            });
        }
        // The analysis is bounded: code too large, too deeply nested or too costly to analyse
        // is the client's input, not a server failure.
        Err(
            err @ (AnalyzerError::TooLarge { .. }
            | AnalyzerError::TooDeep { .. }
            | AnalyzerError::Budget { .. }),
        ) => {
            return Err(ApiError::Validation {
                code: "too_complex",
                message: err.to_string(),
                field: Some("code"),
            });
        }
        Err(err) => return Err(ApiError::internal(err)),
    };
    if mode == Mode::Empirical {
        let measured = measure(&state, user.id, request.code).await?;
        add_measurement(&mut analysis, measured);
    }
    Ok(Json(analysis))
}

/// Queues a measurement of `code` for `user` and waits for a worker to finish it. `Err` inside
/// says why there is no verdict (the program failed, too few sizes, cancelled, not finished in
/// time); the outer `Err` is a refused enqueue (caps, quota) or the platform failing.
async fn measure(
    state: &AppState,
    user: UserId,
    code: String,
) -> Result<Result<Measurements, String>, ApiError> {
    let limits = Limits {
        time_limit_ms: millis(empirical::TOTAL_BUDGET).min(state.config.max_limits.time_limit_ms),
        ..state.config.default_limits.clone()
    };
    let spec = JobSpec {
        code,
        stdin: String::new(),
        limits,
        interactive: false,
        tests: None,
    };
    let wait = Duration::from_millis(spec.limits.time_limit_ms) + state.config.wait_margin;
    let job = executions::enqueue(state, user, JobKind::Measurement, &spec).await?;
    let Some(finished) = state.hub.wait_finished(job.id, wait).await? else {
        give_up(state, job).await?;
        return Ok(Err(
            "the measurement did not finish in time; the queue may be busy".to_owned(),
        ));
    };
    if finished.status != JobStatus::Succeeded {
        let why = finished
            .message
            .unwrap_or_else(|| format!("the measurement ended {}", finished.status));
        return Ok(Err(why));
    }
    let result = state.store.job_result(finished.id).await?;
    let measurements = result
        .as_deref()
        .map(serde_json::from_str::<Measurements>)
        .transpose()
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::internal(MissingResult))?;
    Ok(Ok(measurements))
}

/// A measurement that succeeded without a stored result: a worker of another version, or a bug.
#[derive(Debug, thiserror::Error)]
#[error("a finished measurement job has no result")]
struct MissingResult;

/// Cancels a measurement nobody waits for any more, so it does not spend the user's quota.
async fn give_up(state: &AppState, job: Execution) -> Result<(), ApiError> {
    match state.store.request_cancel(job.id).await? {
        CancelResult::Cancelled(cancelled) => {
            hub::publish_finished(&state.store, &cancelled).await?
        }
        CancelResult::Requested => {
            state
                .store
                .bus()
                .send_control(job.id, Control::Cancel)
                .await?
        }
        CancelResult::AlreadyFinished(_) | CancelResult::NotFound => {}
    }
    Ok(())
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

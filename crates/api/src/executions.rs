//! Executions: submit a program (alone, with test cases, or several in a batch), wait for it,
//! look at it, list your own, cancel.

mod batch;
mod cases;

use std::time::Duration;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use code_remote_core::{
    Compare, Execution, ExecutionListItem, JobId, JobSpec, LimitsRequest, MAX_CODE_BYTES,
    MAX_STDIN_BYTES, TestCase, UserId,
};
use code_remote_store::{Callback, CancelResult, Control, JobKind, JobQuery, NewJob, QueueScope};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    error::{ApiError, Json, Query},
    hub,
    session::CurrentUser,
};

const DEFAULT_PAGE: u32 = 20;
const MAX_PAGE: u32 = 100;
/// How long a client should wait before retrying when the queue is full.
const QUEUE_FULL_RETRY: Duration = Duration::from_secs(5);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(batch::create_batch))
        .routes(routes!(get_one))
        .routes(routes!(cancel))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateExecution {
    /// The Python program.
    pub code: String,
    /// Input given to the program up front.
    #[serde(default)]
    pub stdin: String,
    /// Limits for this run, within the server's maximum.
    #[serde(default)]
    pub limits: LimitsRequest,
    /// Keep stdin open for lines sent over the WebSocket while the program runs.
    #[serde(default)]
    pub interactive: bool,
    /// Run the program once per test case (at most 64), each in a fresh sandbox, and judge its
    /// output; not with `stdin` or `interactive`.
    #[serde(default)]
    #[schema(min_items = 1, max_items = 64)]
    pub tests: Option<Vec<TestCase>>,
    /// How test output is compared (default: trailing whitespace ignored, as Judge0 does).
    #[serde(default)]
    pub compare: Option<Compare>,
    /// Where to send the result, signed, when the run ends (see docs/api.md, "Callbacks").
    #[serde(default)]
    #[schema(max_length = 2048)]
    pub callback_url: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateParams {
    /// Wait for the run to finish and answer 200 with the result.
    #[serde(default)]
    pub wait: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Admins only: list every user's executions.
    #[serde(default)]
    pub all: bool,
}

/// A page of the history: summaries without code, stdin or output (`GET /executions/{id}`
/// has the whole execution).
#[derive(Debug, Serialize, ToSchema)]
pub struct ExecutionPage {
    pub items: Vec<ExecutionListItem>,
    pub next_cursor: Option<String>,
}

impl CreateExecution {
    /// The spec to run and the callback to deliver, checked.
    pub(crate) async fn check(
        self,
        state: &AppState,
        user: &CurrentUser,
    ) -> Result<(JobSpec, Option<Callback>), ApiError> {
        let callback = match &self.callback_url {
            Some(url) => Some(crate::webhooks::callback_for(state, user.id, url, None).await?),
            None => None,
        };
        Ok((self.into_spec(state)?, callback))
    }

    fn into_spec(self, state: &AppState) -> Result<JobSpec, ApiError> {
        if self.code.len() > MAX_CODE_BYTES {
            return Err(ApiError::validation(
                "code",
                format!("code must be at most {} KiB", MAX_CODE_BYTES / 1024),
            ));
        }
        if self.stdin.len() > MAX_STDIN_BYTES {
            return Err(ApiError::validation(
                "stdin",
                format!("stdin must be at most {} KiB", MAX_STDIN_BYTES / 1024),
            ));
        }
        let limits = self
            .limits
            .resolve(&state.config.default_limits, &state.config.max_limits)
            .map_err(|err| ApiError::validation("limits", err.to_string()))?;
        let tests = cases::suite(self.tests, self.compare, &self.stdin, self.interactive)?;
        Ok(JobSpec {
            code: self.code,
            stdin: self.stdin,
            limits,
            interactive: self.interactive,
            tests,
        })
    }
}

/// Submit a program. Answers 202 with the queued execution, or with `?wait=true` 200 with the
/// finished one (202 if it has not finished within its time limit plus a margin).
#[utoipa::path(post, path = "/executions", tag = "executions", security(("bearer" = [])), params(CreateParams),
    request_body = CreateExecution,
    responses((status = 202, body = Execution), (status = 200, body = Execution), (status = 422, description = "invalid code, stdin, limits, tests or callback_url (or no webhook secret for a callback)"),
        (status = 429, description = "too many queued jobs for this user, or the daily CPU quota is used up"), (status = 503, description = "the queue is full")))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<CreateParams>,
    Json(request): Json<CreateExecution>,
) -> Result<Response, ApiError> {
    let (spec, callback) = request.check(&state, &user).await?;
    // One time limit per run: a run per test case.
    let runs = spec.tests.as_ref().map_or(1, |suite| suite.cases.len()) as u32;
    let time_limit = Duration::from_millis(spec.limits.time_limit_ms) * runs;
    let execution = enqueue_with(&state, user.id, &spec, callback.as_ref()).await?;
    if !params.wait {
        return Ok((StatusCode::ACCEPTED, Json(execution)).into_response());
    }
    match state
        .hub
        .wait_finished(execution.id, time_limit + state.config.wait_margin)
        .await?
    {
        Some(finished) => Ok((StatusCode::OK, Json(finished)).into_response()),
        None => {
            let current = state.store.job(execution.id).await?.unwrap_or(execution);
            Ok((StatusCode::ACCEPTED, Json(current)).into_response())
        }
    }
}

/// Queues an execution of the caller under every cap and quota (also used by the Judge0 and
/// Piston compatibility APIs).
pub(crate) async fn submit(
    state: &AppState,
    user: &CurrentUser,
    spec: &JobSpec,
) -> Result<Execution, ApiError> {
    enqueue(state, user.id, JobKind::Execution, spec).await
}

/// Queues an execution of `user` that reports to `callback` when it ends.
pub(crate) async fn enqueue_with(
    state: &AppState,
    user: UserId,
    spec: &JobSpec,
    callback: Option<&Callback>,
) -> Result<Execution, ApiError> {
    let job = NewJob {
        user,
        kind: JobKind::Execution,
        spec,
        cpu_quota: state.throttle.cpu_quota(),
        callback,
    };
    enqueue_job(state, job).await
}

/// Queues a job of `user` under the queue caps and the daily CPU quota (both checked with the
/// insert), and wakes the workers.
pub(crate) async fn enqueue(
    state: &AppState,
    user: UserId,
    kind: JobKind,
    spec: &JobSpec,
) -> Result<Execution, ApiError> {
    let job = NewJob {
        user,
        kind,
        spec,
        cpu_quota: state.throttle.cpu_quota(),
        callback: None,
    };
    enqueue_job(state, job).await
}

async fn enqueue_job(state: &AppState, job: NewJob<'_>) -> Result<Execution, ApiError> {
    let kind = job.kind;
    let execution = state
        .store
        .enqueue_job(job, state.config.queue)
        .await
        .map_err(|err| enqueue_error(state, err))?;
    metrics::counter!("code_remote_jobs_submitted_total", "kind" => kind.as_str()).increment(1);
    state.store.bus().notify_queued().await?;
    Ok(execution)
}

/// The answer to an enqueue the store refused.
pub(crate) fn enqueue_error(state: &AppState, err: code_remote_store::Error) -> ApiError {
    match err {
        code_remote_store::Error::QueueFull {
            scope: QueueScope::User,
        } => ApiError::TooManyRequests {
            code: "too_many_queued_jobs",
            message: format!(
                "you already have {} jobs waiting; wait for some to finish",
                state.config.queue.max_queued_per_user
            ),
            retry_after: QUEUE_FULL_RETRY,
        },
        code_remote_store::Error::QueueFull {
            scope: QueueScope::Global,
        } => ApiError::Unavailable {
            code: "queue_full",
            message: "the server's queue is full; try again shortly".into(),
            retry_after: Some(QUEUE_FULL_RETRY),
        },
        code_remote_store::Error::CpuQuotaExceeded {
            limit_ms,
            used_ms,
            reserved_ms,
        } => quota_exceeded(limit_ms, used_ms, reserved_ms),
        err => err.into(),
    }
}

/// 429 for a spent quota: until midnight UTC when it is used, or until open jobs finish when
/// they only reserve it (a finished job frees what it did not use).
fn quota_exceeded(limit_ms: u64, used_ms: u64, reserved_ms: u64) -> ApiError {
    let seconds = |ms: u64| format!("{:.1}", ms as f64 / 1000.0);
    let quota = seconds(limit_ms);
    if used_ms >= limit_ms {
        let now = chrono::Utc::now();
        let midnight = (now + chrono::Days::new(1))
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .map_or(now, |midnight| midnight.and_utc());
        return ApiError::TooManyRequests {
            code: "cpu_quota_exceeded",
            message: format!(
                "your runs have used today's CPU quota of {quota} s; it resets at 00:00 UTC"
            ),
            retry_after: (midnight - now).to_std().unwrap_or(QUEUE_FULL_RETRY),
        };
    }
    ApiError::TooManyRequests {
        code: "cpu_quota_exceeded",
        message: format!(
            "your queued and running jobs may use the rest of today's CPU quota of {quota} s \
             ({} s used, {} s reserved at their time limits); wait for them to finish",
            seconds(used_ms),
            seconds(reserved_ms)
        ),
        retry_after: QUEUE_FULL_RETRY,
    }
}

/// The caller's executions, newest first, as summaries (no code, stdin or output).
#[utoipa::path(get, path = "/executions", tag = "executions", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = ExecutionPage), (status = 400, description = "bad cursor or limit")))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<ListParams>,
) -> Result<Json<ExecutionPage>, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest {
            code: "invalid_limit",
            message: format!("limit must be between 1 and {MAX_PAGE}"),
        });
    }
    if params.all && !user.is_admin() {
        return Err(ApiError::Forbidden(
            "only administrators can list every user's executions",
        ));
    }
    let owner = if params.all { None } else { Some(user.id) };
    let page = state
        .store
        .list_jobs(JobQuery {
            user: owner,
            limit,
            cursor: params.cursor,
        })
        .await?;
    Ok(Json(ExecutionPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}

pub(crate) fn parse_job_id(text: &str) -> Result<JobId, ApiError> {
    text.parse().map_err(|_| ApiError::NotFound("execution"))
}

/// An execution the caller may see, or 404 (other users' jobs are not revealed).
pub(crate) async fn owned(
    state: &AppState,
    user: &CurrentUser,
    id: JobId,
) -> Result<Execution, ApiError> {
    match state.store.job(id).await? {
        Some(execution) if user.may_access(execution.user_id) => Ok(execution),
        _ => Err(ApiError::NotFound("execution")),
    }
}

/// One execution.
#[utoipa::path(get, path = "/executions/{id}", tag = "executions", security(("bearer" = [])),
    params(("id" = String, Path, description = "execution id")),
    responses((status = 200, body = Execution), (status = 404, description = "no such execution")))]
async fn get_one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Execution>, ApiError> {
    Ok(Json(owned(&state, &user, parse_job_id(&id)?).await?))
}

/// Cancel a queued or running execution.
#[utoipa::path(post, path = "/executions/{id}/cancel", tag = "executions", security(("bearer" = [])),
    params(("id" = String, Path, description = "execution id")),
    responses((status = 200, description = "cancelled while queued", body = Execution),
        (status = 202, description = "cancellation requested; the program is being stopped", body = Execution),
        (status = 409, description = "already finished"), (status = 404, description = "no such execution")))]
async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let execution = owned(&state, &user, parse_job_id(&id)?).await?;
    cancel_job(&state, execution).await
}

/// Cancels a job the caller owns: at once if queued, by signalling its worker if running.
pub(crate) async fn cancel_job(
    state: &AppState,
    execution: Execution,
) -> Result<Response, ApiError> {
    match state.store.request_cancel(execution.id).await? {
        CancelResult::Cancelled(cancelled) => {
            hub::publish_finished(&state.store, &cancelled).await?;
            Ok((StatusCode::OK, Json(cancelled)).into_response())
        }
        CancelResult::Requested => {
            state
                .store
                .bus()
                .send_control(execution.id, Control::Cancel)
                .await?;
            let current = state.store.job(execution.id).await?.unwrap_or(execution);
            Ok((StatusCode::ACCEPTED, Json(current)).into_response())
        }
        CancelResult::AlreadyFinished(_) => Err(ApiError::Conflict {
            code: "already_finished",
            message: "this execution has already finished".into(),
        }),
        CancelResult::NotFound => Err(ApiError::NotFound("execution")),
    }
}

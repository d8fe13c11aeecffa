//! `POST /executions/batch`: several executions queued in order, all or none.

use axum::{extract::State, http::StatusCode};
use code_remote_core::{Execution, JobId};
use code_remote_store::{JobKind, NewJob};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{CreateExecution, enqueue_error};
use crate::{
    AppState,
    error::{ApiError, Json},
    session::CurrentUser,
};

/// Most executions one batch may hold.
pub const MAX_BATCH: usize = 20;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBatch {
    /// 1 to 20 executions, each as `POST /executions` takes it.
    #[schema(min_items = 1, max_items = 20)]
    pub executions: Vec<CreateExecution>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchCreated {
    /// The ids of the queued executions, in the order given.
    pub ids: Vec<JobId>,
}

/// Submit several programs at once. Every item is checked first: if any is invalid (or the
/// queue or quota cannot take them all), none is queued and the answer names the item.
#[utoipa::path(post, path = "/executions/batch", tag = "executions", security(("bearer" = [])),
    request_body = CreateBatch,
    responses((status = 202, body = BatchCreated), (status = 422, description = "an item is invalid (the message names it), or the batch is empty or too long"),
        (status = 429, description = "too many queued jobs for this user, or the daily CPU quota cannot take the batch"), (status = 503, description = "the queue is full")))]
pub(super) async fn create_batch(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(request): Json<CreateBatch>,
) -> Result<(StatusCode, Json<BatchCreated>), ApiError> {
    let count = request.executions.len();
    if count == 0 || count > MAX_BATCH {
        return Err(ApiError::validation(
            "executions",
            format!("a batch holds 1 to {MAX_BATCH} executions (got {count})"),
        ));
    }
    let mut checked = Vec::with_capacity(count);
    for (index, item) in request.executions.into_iter().enumerate() {
        let in_item = |err: ApiError| match err {
            ApiError::Validation {
                code,
                message,
                field,
            } => ApiError::Validation {
                code,
                message: format!(
                    "executions[{index}]{}: {message}",
                    field.map(|f| format!(".{f}")).unwrap_or_default()
                ),
                field: Some("executions"),
            },
            other => other,
        };
        checked.push(item.check(&state, &user).await.map_err(in_item)?);
    }
    let quota = state.throttle.cpu_quota();
    let jobs: Vec<NewJob<'_>> = checked
        .iter()
        .map(|(spec, callback)| NewJob {
            user: user.id,
            kind: JobKind::Execution,
            spec,
            cpu_quota: quota,
            callback: callback.as_ref(),
        })
        .collect();
    let queued: Vec<Execution> = state
        .store
        .enqueue_jobs(&jobs, state.config.queue)
        .await
        .map_err(|err| enqueue_error(&state, err))?;
    metrics::counter!("code_remote_jobs_submitted_total", "kind" => "execution")
        .increment(queued.len() as u64);
    state.store.bus().notify_queued().await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(BatchCreated {
            ids: queued.iter().map(|execution| execution.id).collect(),
        }),
    ))
}

//! Judge0's submission routes: create (optionally waiting), get, and their batch forms.

use std::{collections::HashMap, time::Duration};

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use code_remote_core::Execution;
use serde_json::{Value, json};

use super::{
    Judge0Error, Judge0User,
    meta::language_of,
    render::{self, Token, View},
    request::{self, MAX_BATCH, Submission},
};
use crate::{
    AppState,
    error::Json,
    executions,
    session::CurrentUser,
    webhooks::{self, CallbackError},
};
use code_remote_store::{Callback, Judge0Callback};

/// Most tokens one batch GET may name.
const MAX_TOKENS: usize = 100;

type Params = Query<HashMap<String, String>>;

/// Rails' truthy strings.
fn truthy(params: &HashMap<String, String>, name: &str) -> bool {
    params
        .get(name)
        .is_some_and(|value| matches!(value.trim(), "true" | "1" | "t" | "yes" | "on"))
}

fn body_json(body: &Bytes) -> Result<Value, Judge0Error> {
    serde_json::from_slice(body)
        .map_err(|err| Judge0Error::BadRequest(format!("the body is not valid JSON: {err}")))
}

async fn render(execution: &Execution, token: &Token, fields: &[&str], base64: bool) -> Value {
    let language_name = language_of(71).await.unwrap_or_default();
    View {
        execution,
        token,
        language_name: &language_name,
    }
    .render(fields, base64)
}

/// `POST /submissions`: 201 `{"token"}`, or with `wait=true` the finished submission.
pub(super) async fn create(
    State(state): State<AppState>,
    Judge0User(user): Judge0User,
    Query(params): Params,
    body: Bytes,
) -> Result<Response, Judge0Error> {
    let base64 = truthy(&params, "base64_encoded");
    let wait = truthy(&params, "wait");
    let fields = render::fields(params.get("fields").map(String::as_str))
        .map_err(Judge0Error::BadRequest)?;
    let config = &state.config;
    let submission = request::parse(
        &body_json(&body)?,
        base64,
        &config.default_limits,
        &config.max_limits,
    )
    .map_err(Judge0Error::Invalid)?;
    let callback = callback(&state, &user, &submission).await?;
    let execution =
        executions::enqueue_with(&state, user.id, &submission.spec, callback.as_ref()).await?;
    let token = Token::parse(&render::token(
        execution.id,
        submission.expected_output.as_deref(),
    ))
    .expect("our own tokens parse");
    if !wait {
        let token = View {
            execution: &execution,
            token: &token,
            language_name: "",
        }
        .render(&["token"], false);
        return Ok((StatusCode::CREATED, Json(token)).into_response());
    }
    let timeout = Duration::from_millis(execution.limits.time_limit_ms) + config.wait_margin;
    state.hub.wait_finished(execution.id, timeout).await?;
    // The final event is a light result: the stored execution has the output.
    let current = state.store.job(execution.id).await?.unwrap_or(execution);
    Ok((
        StatusCode::CREATED,
        Json(render(&current, &token, &fields, base64).await),
    )
        .into_response())
}

/// `POST /submissions/batch`: one `{"token"}` or one 422 map per item, in order; 201 if any
/// item was queued, else 422.
pub(super) async fn create_batch(
    State(state): State<AppState>,
    Judge0User(user): Judge0User,
    Query(params): Params,
    body: Bytes,
) -> Result<Response, Judge0Error> {
    let base64 = truthy(&params, "base64_encoded");
    let body = body_json(&body)?;
    let Some(items) = body.get("submissions").and_then(Value::as_array) else {
        return Err(Judge0Error::BadRequest(
            "there should be at least one submission in a batch".into(),
        ));
    };
    if items.is_empty() {
        return Err(Judge0Error::BadRequest(
            "there should be at least one submission in a batch".into(),
        ));
    }
    if items.len() > MAX_BATCH {
        return Err(Judge0Error::BadRequest(format!(
            "number of submissions in a batch should be less than or equal to {MAX_BATCH}"
        )));
    }
    let config = &state.config;
    let mut answers = Vec::with_capacity(items.len());
    let mut queued = 0;
    for item in items {
        match request::parse(item, base64, &config.default_limits, &config.max_limits) {
            Ok(submission) => match submit(&state, &user, &submission).await {
                Ok(execution) => {
                    queued += 1;
                    let token = render::token(execution.id, submission.expected_output.as_deref());
                    answers.push(json!({ "token": token }));
                }
                // An invalid callback is the item's own 422 map, as other invalid fields are.
                Err(Judge0Error::Invalid(errors)) => answers.push(Value::Object(errors)),
                // Nothing queued yet: the whole request fails with the reason (quota, full queue).
                Err(err) if queued == 0 => return Err(err),
                Err(Judge0Error::Api(err)) => answers.push(json!({ "error": err.to_string() })),
                Err(err) => return Err(err),
            },
            Err(errors) => answers.push(Value::Object(errors)),
        }
    }
    let status = if queued > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(answers)).into_response())
}

/// The checked callback of a submission; the error is Judge0's 422 map.
async fn callback(
    state: &AppState,
    user: &CurrentUser,
    submission: &Submission,
) -> Result<Option<Callback>, Judge0Error> {
    let Some(url) = &submission.callback_url else {
        return Ok(None);
    };
    let judge0 = Judge0Callback {
        expected_digest: submission.expected_output.as_deref().map(render::digest),
    };
    match webhooks::callback_for(state, user.id, url, Some(judge0)).await {
        Ok(callback) => Ok(Some(callback)),
        Err(CallbackError::Store(err)) => Err(err.into()),
        Err(CallbackError::Url(message)) => Err(invalid_callback(message)),
        Err(CallbackError::NoSecret) => Err(invalid_callback(CallbackError::NO_SECRET.into())),
    }
}

fn invalid_callback(message: String) -> Judge0Error {
    let mut errors = serde_json::Map::new();
    errors.insert("callback_url".into(), json!([message]));
    Judge0Error::Invalid(errors)
}

/// One batch item queued; a refused callback is the item's 422 map.
async fn submit(
    state: &AppState,
    user: &CurrentUser,
    submission: &Submission,
) -> Result<Execution, Judge0Error> {
    let callback = callback(state, user, submission).await?;
    Ok(executions::enqueue_with(state, user.id, &submission.spec, callback.as_ref()).await?)
}

async fn find(
    state: &AppState,
    user: &CurrentUser,
    token: &Token,
) -> Result<Option<Execution>, Judge0Error> {
    Ok(state
        .store
        .job(token.id)
        .await?
        .filter(|execution| user.may_access(execution.user_id)))
}

/// `GET /submissions/{token}`.
pub(super) async fn get_one(
    State(state): State<AppState>,
    Judge0User(user): Judge0User,
    Path(token): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, Judge0Error> {
    let base64 = truthy(&params, "base64_encoded");
    let fields = render::fields(params.get("fields").map(String::as_str))
        .map_err(Judge0Error::BadRequest)?;
    let token = Token::parse(&token).ok_or(Judge0Error::NotFound("submission"))?;
    let execution = find(&state, &user, &token)
        .await?
        .ok_or(Judge0Error::NotFound("submission"))?;
    Ok(Json(render(&execution, &token, &fields, base64).await))
}

/// `GET /submissions/batch?tokens=a,b`: `{"submissions": [object or null, …]}` in token order.
pub(super) async fn get_batch(
    State(state): State<AppState>,
    Judge0User(user): Judge0User,
    Query(params): Params,
    headers: HeaderMap,
) -> Result<Json<Value>, Judge0Error> {
    let base64 = truthy(&params, "base64_encoded");
    let fields = render::fields(params.get("fields").map(String::as_str))
        .map_err(Judge0Error::BadRequest)?;
    let tokens = params
        .get("tokens")
        .cloned()
        .or_else(|| {
            headers
                .get("tokens")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let tokens: Vec<&str> = tokens
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        return Err(Judge0Error::BadRequest(
            "there should be at least one token".into(),
        ));
    }
    if tokens.len() > MAX_TOKENS {
        return Err(Judge0Error::BadRequest(format!(
            "number of tokens should be less than or equal to {MAX_TOKENS}"
        )));
    }
    let mut submissions = Vec::with_capacity(tokens.len());
    for text in tokens {
        let found = match Token::parse(text) {
            Some(token) => match find(&state, &user, &token).await? {
                Some(execution) => Some(render(&execution, &token, &fields, base64).await),
                None => None,
            },
            None => None,
        };
        submissions.push(found.unwrap_or(Value::Null));
    }
    Ok(Json(json!({ "submissions": submissions })))
}

//! Judge0's read-only routes: languages, statuses, about, config_info, system_info, workers.

use axum::{
    extract::{Path, State},
    http::StatusCode,
};
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use super::{Judge0Error, Judge0User, render::STATUSES, request};
use crate::{AppState, error::Json};

/// What `/about` reports. The SDK maps its language aliases by this version; "1.14.0-extra" makes
/// `PYTHON`, `PYTHON3` and `PYTHON_FOR_ML` resolve to 33, which we list.
const JUDGE0_VERSION: &str = "1.14.0-extra";
/// Judge0 ids accepted as our one Python, with whether the name says "Python for ML".
pub(crate) const PYTHON_IDS: [(i64, bool); 10] = [
    (71, false),
    (92, false),
    (100, false),
    (109, false),
    (113, false),
    (10, true),
    (25, true),
    (31, true),
    (32, true),
    (33, true),
];
/// Used only to name the runtime when no interpreter answers on this (API-only) node.
const UNKNOWN_VERSION: &str = "3";

/// The version of the interpreter the sandboxes run (the first of the sandbox's candidates that
/// answers), probed once. Names the language in Judge0 and the runtime in Piston.
pub(crate) async fn python_version() -> &'static str {
    static VERSION: OnceCell<String> = OnceCell::const_new();
    VERSION
        .get_or_init(|| async {
            for candidate in ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"] {
                let probe = tokio::process::Command::new(candidate)
                    .args(["-I", "-S", "-c"])
                    .arg("import sys; print('%d.%d.%d' % sys.version_info[:3])")
                    .output()
                    .await;
                if let Ok(output) = probe
                    && output.status.success()
                {
                    return String::from_utf8_lossy(&output.stdout).trim().to_owned();
                }
            }
            UNKNOWN_VERSION.to_owned()
        })
        .await
}

fn language_name(for_ml: bool, version: &str) -> String {
    if for_ml {
        format!("Python for ML ({version})")
    } else {
        format!("Python ({version})")
    }
}

pub(crate) async fn language_of(id: i64) -> Option<String> {
    let (_, for_ml) = PYTHON_IDS.into_iter().find(|(known, _)| *known == id)?;
    Some(language_name(for_ml, python_version().await))
}

async fn listed(archived: bool) -> Vec<Value> {
    let version = python_version().await;
    let mut languages: Vec<(String, i64)> = PYTHON_IDS
        .into_iter()
        .map(|(id, for_ml)| (language_name(for_ml, version), id))
        .collect();
    languages.sort();
    languages
        .into_iter()
        .map(|(name, id)| {
            if archived {
                json!({ "id": id, "name": name, "is_archived": false })
            } else {
                json!({ "id": id, "name": name })
            }
        })
        .collect()
}

pub(super) async fn languages(_: Judge0User) -> Json<Vec<Value>> {
    Json(listed(false).await)
}

pub(super) async fn all_languages(_: Judge0User) -> Json<Vec<Value>> {
    Json(listed(true).await)
}

pub(super) async fn language(
    _: Judge0User,
    Path(id): Path<String>,
) -> Result<Json<Value>, Judge0Error> {
    let id: i64 = id.parse().map_err(|_| Judge0Error::NotFound("language"))?;
    let name = language_of(id)
        .await
        .ok_or(Judge0Error::NotFound("language"))?;
    Ok(Json(json!({
        "id": id, "name": name, "is_archived": false, "source_file": "script.py",
        "compile_cmd": null, "run_cmd": "python3 script.py",
    })))
}

pub(super) async fn statuses(_: Judge0User) -> Json<Vec<Value>> {
    Json(
        STATUSES
            .iter()
            .enumerate()
            .map(|(index, description)| json!({ "id": index + 1, "description": description }))
            .collect(),
    )
}

pub(super) async fn about(_: Judge0User) -> Json<Value> {
    Json(json!({
        "version": JUDGE0_VERSION,
        "homepage": "https://github.com/code-remote/code-remote",
        "source_code": "https://github.com/code-remote/code-remote",
        "maintainer": "Code Remote (a Judge0 CE compatible API; see docs/compat.md)",
    }))
}

pub(super) async fn version(_: Judge0User) -> &'static str {
    JUDGE0_VERSION
}

pub(super) async fn authenticate(_: Judge0User) -> StatusCode {
    StatusCode::OK
}

/// Every key the SDK's `Config` requires, from this server's limits.
pub(super) async fn config_info(_: Judge0User, State(state): State<AppState>) -> Json<Value> {
    let max = &state.config.max_limits;
    let defaults = request::Judge0Defaults::capped(max);
    let max_seconds = max.time_limit_ms as f64 / 1000.0;
    Json(json!({
        "maintenance_mode": false,
        "enable_wait_result": true,
        "enable_compiler_options": false,
        "allowed_languages_for_compile_options": [],
        "enable_command_line_arguments": false,
        "enable_submission_delete": false,
        "enable_callbacks": true,
        "callbacks_max_tries": state.config.callbacks.max_attempts,
        "callbacks_timeout": state.config.callbacks.timeout.as_secs_f64(),
        "enable_additional_files": false,
        "max_queue_size": state.config.queue.max_queued_total,
        "cpu_time_limit": defaults.cpu_time_limit,
        "max_cpu_time_limit": max_seconds,
        "cpu_extra_time": defaults.cpu_extra_time,
        "max_cpu_extra_time": max_seconds,
        "wall_time_limit": defaults.wall_time_limit,
        "max_wall_time_limit": max_seconds,
        "memory_limit": defaults.memory_limit,
        "max_memory_limit": max.memory_limit_mib * 1024,
        "stack_limit": request::STACK_LIMIT_KB,
        "max_stack_limit": request::STACK_LIMIT_KB,
        "max_processes_and_or_threads": defaults.max_processes,
        "max_max_processes_and_or_threads": max.max_processes,
        "enable_per_process_and_thread_time_limit": false,
        "allow_enable_per_process_and_thread_time_limit": false,
        "enable_per_process_and_thread_memory_limit": false,
        "allow_enable_per_process_and_thread_memory_limit": false,
        "max_file_size": defaults.max_file_size,
        "max_max_file_size": max.max_file_size_mib * 1024,
        "number_of_runs": 1,
        "max_number_of_runs": request::MAX_NUMBER_OF_RUNS,
        "redirect_stderr_to_stdout": false,
        "max_extract_size": 0,
        "enable_batched_submissions": true,
        "max_submission_batch_size": request::MAX_BATCH,
        "submission_cache_duration": 0.0,
        "use_docs_as_homepage": false,
        "allow_enable_network": false,
        "enable_network": false,
    }))
}

/// A few `lscpu`/`free` style facts about this API node, as strings.
pub(super) async fn system_info(_: Judge0User) -> Json<Value> {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let memory = tokio::fs::read_to_string("/proc/meminfo")
        .await
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|line| line.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1}G", kib / 1024.0 / 1024.0))
        });
    Json(json!({
        "Architecture": std::env::consts::ARCH,
        "CPU(s)": cpus.to_string(),
        "Mem": memory.unwrap_or_default(),
    }))
}

/// The shared queue, in Judge0's one-queue shape. Workers on other machines are not counted, so
/// `available` is the number of jobs running rather than of idle workers.
pub(super) async fn workers(
    _: Judge0User,
    State(state): State<AppState>,
) -> Result<Json<Value>, Judge0Error> {
    let queued = state.store.queue_depth().await?;
    let running = state.store.running_count().await?;
    Ok(Json(json!([{
        "queue": "default", "size": queued, "available": running, "idle": 0,
        "working": running, "paused": 0, "failed": 0,
    }])))
}

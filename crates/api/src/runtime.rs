//! `GET /runtime`: what a program runs with — the Python version, every package of the
//! sandbox's environment with its version, the default and maximum limits, and what a run may
//! hand back. Built once at start-up from the environment's metadata (`*.dist-info`), never by
//! running code per request; `code-remote runtime --json` prints the same object.

use axum::{Json, extract::State};
use code_remote_core::Limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{ApiConfig, AppState, error::ApiError, session::CurrentUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_runtime))
}

/// One package a program can import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PythonPackage {
    pub name: String,
    pub version: String,
}

/// The interpreter and packages of the sandbox, as found at start-up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PythonRuntime {
    /// e.g. "3.11.2".
    pub version: String,
    /// Sorted by name; empty when no environment is configured (standard library only).
    pub packages: Vec<PythonPackage>,
}

/// What a run may hand back from `/box/out/`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ArtifactLimits {
    pub max_files: u64,
    pub max_total_bytes: u64,
}

impl Default for ArtifactLimits {
    fn default() -> Self {
        Self {
            max_files: 16,
            max_total_bytes: 8 * 1024 * 1024,
        }
    }
}

/// The runtime a program gets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Runtime {
    /// Always "python".
    pub language: String,
    pub python_version: String,
    pub packages: Vec<PythonPackage>,
    /// Limits of a run that asks for none.
    pub default_limits: Limits,
    /// The most a run may ask for.
    pub max_limits: Limits,
    pub artifacts: ArtifactLimits,
}

/// The runtime object for a server configured with `config`.
pub fn runtime(config: &ApiConfig) -> Runtime {
    Runtime {
        language: "python".into(),
        python_version: config.python.version.clone(),
        packages: config.python.packages.clone(),
        default_limits: config.default_limits.clone(),
        max_limits: config.max_limits.clone(),
        artifacts: config.artifact_limits.clone(),
    }
}

/// The Python version, packages and limits programs run with.
#[utoipa::path(get, path = "/runtime", tag = "runtime", security(("bearer" = [])),
    responses((status = 200, body = Runtime)))]
async fn get_runtime(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Runtime>, ApiError> {
    Ok(Json(runtime(&state.config)))
}

//! Liveness, readiness and metrics, outside `/api/v1`. These need only the store, so worker-only
//! nodes serve them too.

use axum::{Router, extract::State, routing::get};
use code_remote_store::Store;

use crate::{error::ApiError, metrics};

#[derive(Clone)]
pub(crate) struct ProbeState {
    pub store: Store,
    pub metrics: metrics::Metrics,
}

/// `/healthz`, `/readyz` and `/metrics` for a node with this store.
pub fn probes(store: Store) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::render))
        .with_state(ProbeState {
            store,
            metrics: metrics::Metrics::install(),
        })
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The node can serve: its database answers.
async fn readyz(State(state): State<ProbeState>) -> Result<&'static str, ApiError> {
    match state.store.ping().await {
        Ok(()) => Ok("ready"),
        Err(err) => {
            tracing::warn!(error = %err, "not ready: the database does not answer");
            Err(ApiError::Unavailable {
                code: "database_unavailable",
                message: "the database cannot be reached".into(),
                retry_after: None,
            })
        }
    }
}

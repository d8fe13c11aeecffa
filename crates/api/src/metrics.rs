//! Prometheus metrics: the recorder (installed once per process), HTTP latency per route, and
//! the queue gauges refreshed on each scrape.

use std::{sync::OnceLock, time::Instant};

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::{error::ApiError, health::ProbeState};

const DURATION_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// A handle that renders the process's metrics.
#[derive(Clone)]
pub struct Metrics(PrometheusHandle);

impl Metrics {
    /// Installs the global recorder the first time; later calls (several apps in one test
    /// process) share it.
    pub fn install() -> Self {
        static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
        let handle = HANDLE.get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), DURATION_BUCKETS)
                .expect("the bucket list is not empty")
                .build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (e.g. by an embedding program); then
            // this handle still renders what this process records through it.
            let _ = metrics::set_global_recorder(recorder);
            handle
        });
        Self(handle.clone())
    }
}

/// `GET /metrics`: Prometheus text format.
pub(crate) async fn render(State(state): State<ProbeState>) -> Result<Response, ApiError> {
    metrics::gauge!("code_remote_queue_depth").set(state.store.queue_depth().await? as f64);
    metrics::gauge!("code_remote_jobs_running").set(state.store.running_count().await? as f64);
    let body = state.metrics.0.render();
    Ok(([("content-type", "text/plain; version=0.0.4")], body).into_response())
}

/// Records the latency of every request by method, matched route and status.
pub async fn track_http(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let labels = [
        ("method", method),
        ("route", route),
        ("status", response.status().as_u16().to_string()),
    ];
    metrics::histogram!("code_remote_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

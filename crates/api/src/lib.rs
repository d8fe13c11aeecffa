//! The HTTP and WebSocket API of Code Remote, and the embedded web app.
//!
//! One module per feature owns its routes, request and response types and handlers; this root
//! only merges them and adds the cross-cutting layers (limits, metrics, error logging, security
//! headers). It does not run jobs: workers do, through the store's queue.

mod analyses;
mod assets;
mod auth;
mod error;
mod executions;
mod health;
mod hub;
mod metrics;
mod session;
mod state;
mod ws;

use axum::{Router, extract::DefaultBodyLimit, http::HeaderValue, middleware};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub use error::ApiError;
pub use health::probes;
pub use state::{ApiConfig, AppParts, AppState};

#[derive(OpenApi)]
#[openapi(
    info(title = "Code Remote API", description = "Run untrusted Python in a sandbox and analyze its complexity."),
    servers((url = "/api/v1")),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT or API key").build()));
    }
}

/// The whole application: `/api/v1`, health and metrics, and the web app as the fallback.
pub fn app(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let (api, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(executions::router())
        .merge(analyses::router())
        .routes(routes!(ws::upgrade))
        .split_for_parts();
    let openapi_json = serde_json::to_string(&openapi).expect("the OpenAPI document serialises");
    let api = api
        .route("/openapi.json", axum::routing::get(move || async move { ([("content-type", "application/json")], openapi_json) }))
        .fallback(|| async { ApiError::NotFound("API route") });
    let store = state.store.clone();
    Router::new()
        .nest("/api/v1", api)
        .with_state(state)
        .merge(health::probes(store))
        .fallback_service(assets::router())
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn(metrics::track_http))
        .layer(middleware::from_fn(error::log_server_errors))
        .layer(SetResponseHeaderLayer::if_not_present(axum::http::header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(axum::http::header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(axum::http::header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
}

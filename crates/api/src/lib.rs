//! The HTTP and WebSocket API of Code Remote, and the embedded web app.
//!
//! One module per feature owns its routes, request and response types and handlers; this root
//! only merges them and adds the cross-cutting layers (limits, metrics, error logging, security
//! headers). It does not run jobs: workers do, through the store's queue.

mod admin;
mod analyses;
mod artifacts;
mod assets;
mod audit;
mod auth;
mod client_ip;
mod error;
mod executions;
mod health;
mod hub;
mod judge0;
mod keys;
mod metrics;
mod openapi;
mod piston;
mod runtime;
mod session;
mod state;
mod throttle;
mod webhooks;
mod ws;

use axum::{Router, extract::DefaultBodyLimit, http::HeaderValue, middleware};
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::RequestBodyTimeoutLayer,
    trace::TraceLayer,
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

pub use auth::RegistrationMode;
pub use client_ip::TrustedProxies;
pub use error::ApiError;
pub use health::probes;
pub use runtime::{ArtifactLimits, PythonPackage, PythonRuntime, Runtime, runtime};
pub use state::{ApiConfig, AppParts, AppState};
pub use throttle::{RateLimits, Throttle};
pub use webhooks::CallbackConfig;

/// Longest pause allowed between two parts of a request body.
const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The document's own parts. The WebSocket's messages are components too, so the web app's
/// wire types are generated for them like for the HTTP bodies.
#[derive(OpenApi)]
#[openapi(
    info(title = "Code Remote API", description = "Run untrusted Python in a sandbox and analyze its complexity."),
    servers((url = "/api/v1")),
    components(schemas(ws::ClientMessage, code_remote_core::JobEvent, ws::ErrorMessage))
)]
struct ApiDoc;

/// The `/api/v1` routes and their OpenAPI document.
fn api_routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (api, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(executions::router())
        .merge(artifacts::router())
        .merge(runtime::router())
        .merge(analyses::router())
        .merge(keys::router())
        .merge(admin::router())
        .merge(webhooks::router())
        .routes(routes!(ws::upgrade))
        .split_for_parts();
    // After the routes are merged: it adds the common answers to every operation.
    utoipa::Modify::modify(&openapi::Shared, &mut openapi);
    (api, openapi)
}

/// The OpenAPI document of `/api/v1`: served at `/api/v1/openapi.json`, printed by
/// `code-remote openapi`, and the source of the web app's generated wire types
/// (`web/openapi.json`, `scripts/gen-api`).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api_routes().1
}

/// The whole application: `/api/v1`, health and metrics, and the web app as the fallback.
pub fn app(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let (api, openapi) = api_routes();
    let openapi_json = serde_json::to_string(&openapi).expect("the OpenAPI document serialises");
    let api = api
        .route(
            "/openapi.json",
            axum::routing::get(move || async move {
                ([("content-type", "application/json")], openapi_json)
            }),
        )
        .fallback(|| async { ApiError::NotFound("API route") });
    let store = state.store.clone();
    let cors = cors(&state.config.cors_origins);
    let csp = content_security_policy(&state.config.oidc_providers);
    Router::new()
        .nest("/api/v1", api)
        .nest("/judge0", judge0::router())
        .nest("/piston/api/v2", piston::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            throttle::limit_ips,
        ))
        // Outside the limits: they, and the handlers' audit events, key on the resolved address.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client_ip::resolve,
        ))
        .with_state(state)
        .merge(health::probes(store))
        .fallback_service(assets::router())
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(
            max_body,
            error::refuse_oversized_bodies,
        ))
        // A client that stops sending half-way through a body loses its connection; headers have
        // their own timeout in the server's accept loop.
        .layer(RequestBodyTimeoutLayer::new(BODY_READ_TIMEOUT))
        .layer(middleware::from_fn(metrics::track_http))
        .layer(middleware::from_fn(error::log_server_errors))
        // Every request gets an id (or keeps the one a proxy gave it), every log line of the
        // request carries it, and the answer echoes it in `x-request-id`.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(cors)
}

/// The span every log line of a request is recorded in.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
}

/// Scripts, styles, workers and connections from this origin only. Monaco injects styles at run
/// time and starts its workers from blob URLs, hence `'unsafe-inline'` for styles and `blob:` for
/// workers; no inline scripts. Images may be blob URLs: the app shows the images a run handed
/// back from blobs it fetched with the session token (only raster images, which carry no script). The browser may also connect to the configured OpenID Connect
/// issuers (discovery and the token exchange of the PKCE flow).
fn content_security_policy(providers: &[code_remote_auth::OidcProvider]) -> HeaderValue {
    let issuers: String = providers
        .iter()
        .filter_map(|provider| {
            let (scheme, rest) = provider.issuer.split_once("://")?;
            let host = rest.split('/').next()?;
            // Only characters that cannot break out of the header value or the directive.
            host.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
                .then(|| format!(" {scheme}://{host}"))
        })
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; \
         img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'{issuers}; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).expect("the policy is built from checked characters")
}

/// CORS is closed unless origins are configured (the web app is served from the same origin).
fn cors(origins: &[String]) -> tower_http::cors::CorsLayer {
    use axum::http::{Method, header};
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    tower_http::cors::CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(std::time::Duration::from_secs(600))
}

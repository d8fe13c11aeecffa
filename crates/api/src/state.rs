//! The one piece of state every handler receives, and the settings it carries.

use std::{ops::Deref, sync::Arc, time::Duration};

use code_remote_analyzer::Analyzer;
use code_remote_auth::{OidcProvider, OidcSettings, OidcVerifier, TokenIssuer};
use code_remote_core::Limits;
use code_remote_store::{QueueCaps, Store};

use crate::{
    auth::RegistrationMode,
    client_ip::TrustedProxies,
    hub::Hub,
    runtime::{ArtifactLimits, PythonRuntime},
    throttle::{RateLimits, Throttle},
    webhooks::{self, CallbackConfig},
};

/// Settings of the HTTP API, built once from the configuration.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// Limits a run gets when the request does not say.
    pub default_limits: Limits,
    /// The most a request may ask for.
    pub max_limits: Limits,
    pub queue: QueueCaps,
    /// Who may create an account through the API (open by default).
    pub registration: RegistrationMode,
    /// How long `?wait=true` waits beyond the run's own time limit before answering 202.
    pub wait_margin: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    pub rate_limits: RateLimits,
    /// Origins allowed to call the API from a browser on another site; empty: none (closed).
    pub cors_origins: Vec<String>,
    /// Trusted OpenID Connect issuers, as shown to clients (the verifier has the same list).
    pub oidc_providers: Vec<OidcProvider>,
    /// Reverse proxies whose `X-Forwarded-For` names the client; empty: the peer is the client.
    pub trusted_proxies: TrustedProxies,
    /// How signed callbacks are delivered, and where they may go.
    pub callbacks: CallbackConfig,
    /// The sandbox's interpreter and packages (`GET /runtime`), found once at start-up.
    pub python: PythonRuntime,
    /// What a run may hand back (the workers enforce it; `GET /runtime` shows it).
    pub artifact_limits: ArtifactLimits,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            default_limits: Limits::default(),
            max_limits: Limits::default(),
            queue: QueueCaps {
                max_queued_total: 10_000,
                max_queued_per_user: 100,
            },
            registration: RegistrationMode::Open,
            wait_margin: Duration::from_secs(60),
            // Code (256 KiB) and stdin (1 MiB) may both be escaped in JSON.
            max_body_bytes: 4 * 1024 * 1024,
            rate_limits: RateLimits::default(),
            cors_origins: Vec::new(),
            oidc_providers: Vec::new(),
            trusted_proxies: TrustedProxies::default(),
            callbacks: CallbackConfig::default(),
            python: PythonRuntime::default(),
            artifact_limits: ArtifactLimits::default(),
        }
    }
}

/// What the API needs from the rest of the system.
pub struct AppParts {
    pub store: Store,
    pub tokens: TokenIssuer,
    pub config: ApiConfig,
    pub analyzer: Analyzer,
}

/// Shared by all handlers through axum's `State`.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub tokens: TokenIssuer,
    pub oidc: OidcVerifier,
    pub config: ApiConfig,
    pub analyzer: Analyzer,
    pub hub: Hub,
    pub throttle: Throttle,
}

impl AppState {
    /// Builds the state and starts the event hub and the webhook delivery loop on the current
    /// runtime.
    pub fn new(parts: AppParts) -> Self {
        let hub = Hub::start(parts.store.clone());
        webhooks::start(parts.store.clone(), parts.config.callbacks.clone());
        Self(Arc::new(Inner {
            store: parts.store,
            tokens: parts.tokens,
            // The issuers come from the configuration only, so the verifier and what
            // `/auth/config` and the CSP advertise cannot disagree.
            oidc: OidcVerifier::new(OidcSettings {
                providers: parts.config.oidc_providers.clone(),
                ..OidcSettings::default()
            }),
            throttle: Throttle::new(&parts.config.rate_limits),
            config: parts.config,
            analyzer: parts.analyzer,
            hub,
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

//! OpenID Connect: bearer JWTs from configured issuers (Cognito, Keycloak, Auth0, Google, …).
//!
//! Each issuer's discovery document gives its JWKS, which is fetched, cached and re-fetched when
//! a token names a key id we have not seen (key rotation), at most once per
//! `refresh_interval`. Only RS256 and ES256 are accepted; issuer, audience, expiry and
//! not-before are always checked, with a clock-skew tolerance.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};

/// One trusted issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcProvider {
    /// The `iss` of its tokens, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc`.
    pub issuer: String,
    /// The `aud` its tokens must carry (the client id registered for Code Remote).
    pub audience: String,
}

/// Settings for all issuers.
#[derive(Clone, Debug)]
pub struct OidcSettings {
    pub providers: Vec<OidcProvider>,
    /// Tolerated clock difference for `exp` and `nbf`.
    pub leeway: Duration,
    /// How long fetched keys are used before they are fetched again.
    pub keys_ttl: Duration,
    /// Shortest time between two fetches caused by unknown key ids.
    pub refresh_interval: Duration,
    pub http_timeout: Duration,
}

impl Default for OidcSettings {
    fn default() -> Self {
        Self {
            providers: Vec::new(),
            leeway: Duration::from_secs(60),
            keys_ttl: Duration::from_secs(60 * 60),
            refresh_interval: Duration::from_secs(30),
            http_timeout: Duration::from_secs(10),
        }
    }
}

/// Who a verified token says the caller is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcIdentity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub preferred_username: Option<String>,
}

/// Why an OIDC token was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the token is not a JWT")]
    Malformed,
    #[error("the token's issuer is not trusted")]
    UnknownIssuer,
    #[error("the algorithm {0:?} is not accepted (RS256 and ES256 only)")]
    Algorithm(Algorithm),
    #[error("no key of the issuer matches the token's key id")]
    UnknownKey,
    #[error("the token is not valid: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
    #[error("cannot fetch {url}: {source}")]
    Fetch { url: String, source: reqwest::Error },
    #[error("the discovery document names issuer {found:?}, expected {expected:?}")]
    IssuerMismatch { expected: String, found: String },
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

#[derive(Deserialize)]
struct PeekClaims {
    iss: Option<String>,
}

#[derive(Deserialize)]
struct IdentityClaims {
    sub: String,
    email: Option<String>,
    preferred_username: Option<String>,
}

struct CachedKeys {
    keys: JwkSet,
    fetched_at: Instant,
}

struct IssuerState {
    provider: OidcProvider,
    keys: RwLock<Option<CachedKeys>>,
    /// When an unknown key id last forced a fetch; serialises forced fetches.
    last_forced: Mutex<Option<Instant>>,
}

/// Verifies tokens of the configured issuers. Cheap to clone.
#[derive(Clone)]
pub struct OidcVerifier {
    issuers: Arc<Vec<IssuerState>>,
    settings: Arc<OidcSettings>,
    http: reqwest::Client,
}

impl OidcVerifier {
    pub fn new(settings: OidcSettings) -> Self {
        let issuers = settings
            .providers
            .iter()
            .map(|provider| IssuerState {
                provider: provider.clone(),
                keys: RwLock::new(None),
                last_forced: Mutex::new(None),
            })
            .collect();
        let http = reqwest::Client::builder()
            .timeout(settings.http_timeout)
            .build()
            .unwrap_or_default();
        Self {
            issuers: Arc::new(issuers),
            settings: Arc::new(settings),
            http,
        }
    }

    pub fn is_enabled(&self) -> bool {
        !self.issuers.is_empty()
    }

    /// The unverified `iss` claim of a JWT, to route it to the right verifier.
    pub fn peek_issuer(token: &str) -> Option<String> {
        let payload = token.split('.').nth(1)?;
        let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
        serde_json::from_slice::<PeekClaims>(&bytes).ok()?.iss
    }

    /// Whether tokens of this issuer are accepted.
    pub fn trusts(&self, issuer: &str) -> bool {
        self.issuers
            .iter()
            .any(|state| state.provider.issuer == issuer)
    }

    pub async fn verify(&self, token: &str) -> Result<OidcIdentity, OidcError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| OidcError::Malformed)?;
        if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
            return Err(OidcError::Algorithm(header.alg));
        }
        let issuer = Self::peek_issuer(token).ok_or(OidcError::Malformed)?;
        let state = self
            .issuers
            .iter()
            .find(|state| state.provider.issuer == issuer)
            .ok_or(OidcError::UnknownIssuer)?;
        let key = self
            .key_for(state, header.kid.as_deref(), header.alg)
            .await?;
        let mut validation = Validation::new(header.alg);
        validation.leeway = self.settings.leeway.as_secs();
        validation.validate_nbf = true;
        validation.set_issuer(&[&state.provider.issuer]);
        validation.set_audience(&[&state.provider.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<IdentityClaims>(token, &key, &validation)?.claims;
        Ok(OidcIdentity {
            issuer,
            subject: claims.sub,
            email: claims.email,
            preferred_username: claims.preferred_username,
        })
    }

    async fn key_for(
        &self,
        state: &IssuerState,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<DecodingKey, OidcError> {
        let fresh = |cached: &Option<CachedKeys>| {
            cached
                .as_ref()
                .is_some_and(|c| c.fetched_at.elapsed() < self.settings.keys_ttl)
        };
        if !fresh(&*state.keys.read().await) {
            self.fetch_keys(state).await?;
        }
        if let Some(key) = find_key(&*state.keys.read().await, kid, alg)? {
            return Ok(key);
        }
        // An unknown key id may mean the issuer rotated its keys: fetch again, rate-limited.
        let mut last = state.last_forced.lock().await;
        if last.is_none_or(|at| at.elapsed() >= self.settings.refresh_interval) {
            *last = Some(Instant::now());
            self.fetch_keys(state).await?;
        }
        find_key(&*state.keys.read().await, kid, alg)?.ok_or(OidcError::UnknownKey)
    }

    async fn fetch_keys(&self, state: &IssuerState) -> Result<(), OidcError> {
        let base = state.provider.issuer.trim_end_matches('/');
        let discovery: Discovery = self
            .get_json(&format!("{base}/.well-known/openid-configuration"))
            .await?;
        if discovery.issuer != state.provider.issuer {
            return Err(OidcError::IssuerMismatch {
                expected: state.provider.issuer.clone(),
                found: discovery.issuer,
            });
        }
        let keys: JwkSet = self.get_json(&discovery.jwks_uri).await?;
        *state.keys.write().await = Some(CachedKeys {
            keys,
            fetched_at: Instant::now(),
        });
        Ok(())
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        let fetch = |source| OidcError::Fetch {
            url: url.to_owned(),
            source,
        };
        self.http
            .get(url)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(fetch)?
            .json()
            .await
            .map_err(fetch)
    }
}

/// The key for `kid` (or the only key, when the token names none) usable with `alg`.
fn find_key(
    cached: &Option<CachedKeys>,
    kid: Option<&str>,
    alg: Algorithm,
) -> Result<Option<DecodingKey>, OidcError> {
    let Some(cached) = cached else {
        return Ok(None);
    };
    let candidates: Vec<_> = cached
        .keys
        .keys
        .iter()
        .filter(|jwk| kid.is_none() || jwk.common.key_id.as_deref() == kid)
        .collect();
    let jwk = match (kid, candidates.as_slice()) {
        (Some(_), [jwk, ..]) | (None, [jwk]) => jwk,
        _ => return Ok(None),
    };
    // A key published for one algorithm is never used with another (no algorithm confusion).
    if let Some(key_alg) = jwk.common.key_algorithm
        && format!("{key_alg:?}") != format!("{alg:?}")
    {
        return Err(OidcError::Algorithm(alg));
    }
    Ok(Some(DecodingKey::from_jwk(jwk)?))
}

//! A local OpenID Connect issuer for tests (feature `testing`): serves discovery and a JWKS of
//! test-only keys on 127.0.0.1, and signs real RS256/ES256 tokens. The published keys can be
//! changed at run time to test key rotation.

use std::sync::{Arc, Mutex};

use axum::{Json, Router, extract::State, routing::get};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("test fixture {path}: {err}"))
}

/// The public JWK of a test key (`rsa-a`, `rsa-b`, `ec-a`).
pub fn jwk(kid: &str) -> Value {
    let all: Value = serde_json::from_str(&fixture("jwks.json")).expect("jwks.json is JSON");
    all[kid].clone()
}

#[derive(Clone)]
struct MockState {
    url: String,
    published: Arc<Mutex<Vec<&'static str>>>,
    fetches: Arc<Mutex<u32>>,
}

/// A running mock issuer.
pub struct MockIssuer {
    pub url: String,
    /// Key ids published in the JWKS; change to rotate.
    pub published: Arc<Mutex<Vec<&'static str>>>,
    /// How many times the JWKS was fetched.
    pub fetches: Arc<Mutex<u32>>,
}

async fn discovery(State(state): State<MockState>) -> Json<Value> {
    Json(
        json!({ "issuer": state.url, "jwks_uri": format!("{}/jwks", state.url), "authorization_endpoint": format!("{}/authorize", state.url) }),
    )
}

async fn jwks(State(state): State<MockState>) -> Json<Value> {
    *state.fetches.lock().expect("not poisoned") += 1;
    let keys: Vec<Value> = state
        .published
        .lock()
        .expect("not poisoned")
        .iter()
        .map(|kid| jwk(kid))
        .collect();
    Json(json!({ "keys": keys }))
}

impl MockIssuer {
    /// Starts an issuer publishing `keys` on a free port.
    pub async fn start(keys: Vec<&'static str>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let published = Arc::new(Mutex::new(keys));
        let fetches = Arc::new(Mutex::new(0));
        let state = MockState {
            url: url.clone(),
            published: published.clone(),
            fetches: fetches.clone(),
        };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            url,
            published,
            fetches,
        }
    }

    /// Claims of a valid token for `subject` with this issuer and `audience`.
    pub fn claims(&self, audience: &str, subject: &str) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({ "iss": self.url, "aud": audience, "sub": subject, "exp": now + 300, "nbf": now - 10, "iat": now,
                "email": format!("{subject}@example.org"), "preferred_username": subject })
    }
}

/// Signs `claims` with the test key `kid` (ES256 for `ec-*`, RS256 otherwise).
pub fn sign(kid: &str, claims: &Value) -> String {
    let pem = fixture(&format!("{kid}.pem"));
    let (alg, key) = if kid.starts_with("ec") {
        (
            Algorithm::ES256,
            EncodingKey::from_ec_pem(pem.as_bytes()).expect("EC test key"),
        )
    } else {
        (
            Algorithm::RS256,
            EncodingKey::from_rsa_pem(pem.as_bytes()).expect("RSA test key"),
        )
    };
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &key).expect("signing works")
}

//! Forged, expired and misused tokens are all refused with 401, our own tokens and OpenID
//! Connect ones alike.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use code_remote_auth::{
    OidcProvider,
    testing::{MockIssuer, jwk, sign},
};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::{Options, TEST_SIGNING_KEY, spawn_app_with};

fn claims_of(token: &str) -> Value {
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap()
}

fn hs256(claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[tokio::test]
async fn forged_expired_and_misused_tokens_are_refused() {
    let issuer = MockIssuer::start(vec!["rsa-a"]).await;
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.oidc_providers = vec![OidcProvider {
        issuer: issuer.url.clone(),
        audience: "web".into(),
    }];
    let app = spawn_app_with(options).await;
    let response = app
        .post_anonymous(
            "/api/v1/auth/register",
            json!({"username": "alice", "password": "a long enough password"}),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    let access = body["access_token"].as_str().unwrap();
    let refresh = body["refresh_token"].as_str().unwrap();
    assert_eq!(
        app.get(access, "/api/v1/auth/me").await.status(),
        200,
        "the genuine token works"
    );

    let claims = claims_of(access);
    let now = chrono::Utc::now().timestamp();
    let with = |key: &str, value: Value| {
        let mut changed = claims.clone();
        changed[key] = value;
        changed
    };
    let payload = access.split('.').nth(1).unwrap();
    let signature = access.split('.').nth(2).unwrap();
    let mut forged = vec![
        (
            "alg none",
            format!(
                "{}.{payload}.",
                URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#)
            ),
        ),
        (
            "unknown key",
            hs256(&claims, b"some other key that is long enough to be a key"),
        ),
        (
            "expired",
            hs256(&with("exp", json!(now - 3600)), TEST_SIGNING_KEY),
        ),
        (
            "not yet valid",
            hs256(&with("nbf", json!(now + 3600)), TEST_SIGNING_KEY),
        ),
        (
            "wrong issuer",
            hs256(&with("iss", json!("someone-else")), TEST_SIGNING_KEY),
        ),
        (
            "wrong audience",
            hs256(&with("aud", json!("another-app")), TEST_SIGNING_KEY),
        ),
        (
            "tampered payload",
            format!(
                "{}.{}.{signature}",
                access.split('.').next().unwrap(),
                URL_SAFE_NO_PAD.encode(with("sub", json!(uuid::Uuid::now_v7())).to_string())
            ),
        ),
        ("refresh token as access token", refresh.to_owned()),
    ];
    // OpenID Connect: HS256 keyed with the issuer's public key (algorithm confusion), and a
    // token naming a key the issuer never published.
    let mut confused = Header::new(Algorithm::HS256);
    confused.kid = Some("rsa-a".into());
    let oidc_claims = issuer.claims("web", "eve");
    let secret = jwk("rsa-a")["n"].as_str().unwrap().to_owned();
    forged.push((
        "HS/RS confusion",
        jsonwebtoken::encode(
            &confused,
            &oidc_claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap(),
    ));
    forged.push(("unpublished OIDC key", sign("rsa-b", &oidc_claims)));
    let mut expired = oidc_claims.clone();
    expired["exp"] = json!(now - 3600);
    forged.push(("expired OIDC token", sign("rsa-a", &expired)));

    for (what, token) in forged {
        let response = app.get(&token, "/api/v1/auth/me").await;
        assert_eq!(response.status(), 401, "{what}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized", "{what}");
    }
}

#[tokio::test]
async fn requests_over_the_per_ip_rate_are_429() {
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.rate_limits.ip_requests_per_second = 1;
    options.config.rate_limits.ip_burst = 2;
    let app = spawn_app_with(options).await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            app.client
                .get(app.url("/api/v1/auth/config"))
                .send()
                .await
                .unwrap(),
        );
    }
    let limited = statuses
        .into_iter()
        .find(|r| r.status() == 429)
        .expect("the address is limited within 5 quick requests");
    assert!(limited.headers().get("retry-after").is_some());
    let body: Value = limited.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("address")
    );
}

#[tokio::test]
async fn cors_is_closed_unless_an_origin_is_configured() {
    let preflight = |app: &crate::helpers::TestApp, origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/executions"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
    };
    let closed = spawn_app_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    let response = preflight(&closed, "https://evil.example").await.unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.cors_origins = vec!["https://ide.example".into()];
    let open = spawn_app_with(options).await;
    let allowed = preflight(&open, "https://ide.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://ide.example"
    );
    let other = preflight(&open, "https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

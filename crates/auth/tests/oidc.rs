//! OpenID Connect against a local mock issuer that serves discovery and JWKS and signs real
//! RS256 and ES256 tokens, including a key rotation.

use std::time::Duration;

use code_remote_auth::{
    OidcError, OidcProvider, OidcSettings, OidcVerifier,
    testing::{MockIssuer, jwk, sign},
};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

const AUDIENCE: &str = "code-remote-client";

type Issuer = MockIssuer;

async fn start_issuer(keys: Vec<&'static str>) -> Issuer {
    MockIssuer::start(keys).await
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn verifier(issuer: &Issuer) -> OidcVerifier {
    OidcVerifier::new(OidcSettings {
        providers: vec![OidcProvider {
            issuer: issuer.url.clone(),
            audience: AUDIENCE.into(),
        }],
        leeway: Duration::from_secs(5),
        refresh_interval: Duration::ZERO,
        ..OidcSettings::default()
    })
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn claims(issuer: &str) -> Value {
    json!({ "iss": issuer, "aud": AUDIENCE, "sub": "user-123", "exp": now() + 300, "nbf": now() - 10, "iat": now(), "email": "ada@example.org", "preferred_username": "ada" })
}

#[tokio::test]
async fn rs256_and_es256_tokens_of_a_trusted_issuer_are_accepted() {
    let issuer = start_issuer(vec!["rsa-a", "ec-a"]).await;
    let verifier = verifier(&issuer);
    for kid in ["rsa-a", "ec-a"] {
        let identity = verifier
            .verify(&sign(kid, &claims(&issuer.url)))
            .await
            .unwrap();
        assert_eq!(identity.issuer, issuer.url);
        assert_eq!(identity.subject, "user-123");
        assert_eq!(identity.email.as_deref(), Some("ada@example.org"));
        assert_eq!(identity.preferred_username.as_deref(), Some("ada"));
    }
    assert_eq!(*issuer.fetches.lock().unwrap(), 1, "keys are cached");
}

#[tokio::test]
async fn a_rotated_key_is_fetched_when_a_token_names_it() {
    let issuer = start_issuer(vec!["rsa-a"]).await;
    let verifier = verifier(&issuer);
    verifier
        .verify(&sign("rsa-a", &claims(&issuer.url)))
        .await
        .unwrap();
    // The issuer rotates: the new key is published, the old one withdrawn.
    *issuer.published.lock().unwrap() = vec!["rsa-b"];
    verifier
        .verify(&sign("rsa-b", &claims(&issuer.url)))
        .await
        .unwrap();
    assert_eq!(*issuer.fetches.lock().unwrap(), 2);
    // A key never published is refused.
    let err = verifier
        .verify(&sign("ec-a", &claims(&issuer.url)))
        .await
        .unwrap_err();
    assert!(matches!(err, OidcError::UnknownKey), "{err}");
}

#[tokio::test]
async fn wrong_issuer_audience_expired_and_not_yet_valid_tokens_are_refused() {
    let issuer = start_issuer(vec!["rsa-a"]).await;
    let verifier = verifier(&issuer);
    let mut wrong_issuer = claims(&issuer.url);
    wrong_issuer["iss"] = json!("https://evil.example");
    let mut wrong_audience = claims(&issuer.url);
    wrong_audience["aud"] = json!("another-client");
    let mut expired = claims(&issuer.url);
    expired["exp"] = json!(now() - 120);
    let mut future = claims(&issuer.url);
    future["nbf"] = json!(now() + 3600);
    for bad in [wrong_issuer, wrong_audience, expired, future] {
        assert!(
            verifier.verify(&sign("rsa-a", &bad)).await.is_err(),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn alg_none_hs256_confusion_and_tampered_tokens_are_refused() {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let issuer = start_issuer(vec!["rsa-a"]).await;
    let verifier = verifier(&issuer);
    let good = sign("rsa-a", &claims(&issuer.url));
    let payload = good.split('.').nth(1).unwrap();

    let none = format!(
        "{}.{payload}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","kid":"rsa-a"}"#)
    );
    assert!(verifier.verify(&none).await.is_err());

    // HS256 signed with the issuer's public key material as the secret: the classic confusion.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("rsa-a".into());
    let confused = jsonwebtoken::encode(
        &header,
        &claims(&issuer.url),
        &EncodingKey::from_secret(jwk("rsa-a")["n"].as_str().unwrap().as_bytes()),
    )
    .unwrap();
    assert!(matches!(
        verifier.verify(&confused).await,
        Err(OidcError::Algorithm(Algorithm::HS256))
    ));

    let mut forged = claims(&issuer.url);
    forged["sub"] = json!("admin");
    let parts: Vec<_> = good.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(forged.to_string()),
        parts[2]
    );
    assert!(verifier.verify(&tampered).await.is_err());

    // An ES256 header on a key published for RS256.
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some("rsa-a".into());
    let ec_key = EncodingKey::from_ec_pem(fixture("ec-a.pem").as_bytes()).unwrap();
    let mismatched = jsonwebtoken::encode(&header, &claims(&issuer.url), &ec_key).unwrap();
    assert!(verifier.verify(&mismatched).await.is_err());
}

#[tokio::test]
async fn tokens_of_an_untrusted_issuer_are_refused() {
    let trusted = start_issuer(vec!["rsa-a"]).await;
    let other = start_issuer(vec!["rsa-a"]).await;
    let err = verifier(&trusted)
        .verify(&sign("rsa-a", &claims(&other.url)))
        .await
        .unwrap_err();
    assert!(matches!(err, OidcError::UnknownIssuer));
}

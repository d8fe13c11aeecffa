//! Signing in with a token of a configured OpenID Connect issuer: the account is provisioned on
//! first sight by issuer + subject, and the same account is used afterwards.

use code_remote_auth::{
    OidcProvider,
    testing::{MockIssuer, sign},
};
use serde_json::{Value, json};

use crate::helpers::{Options, spawn_app_with};

const CLIENT_ID: &str = "code-remote-web";

#[tokio::test]
async fn an_oidc_token_provisions_one_account_and_keeps_using_it() {
    let issuer = MockIssuer::start(vec!["rsa-a", "ec-a"]).await;
    let mut options = Options::default();
    options.config.oidc_providers = vec![OidcProvider {
        issuer: issuer.url.clone(),
        audience: CLIENT_ID.into(),
    }];
    let app = spawn_app_with(options).await;
    app.register("admin").await;

    let token = sign("rsa-a", &issuer.claims(CLIENT_ID, "grace"));
    let me: Value = app
        .get(&token, "/api/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "grace");
    assert_eq!(me["role"], "user");
    assert_eq!(me["email"], "grace@example.org");

    // The same person with an ES256 token: the same account, not a second one.
    let again = sign("ec-a", &issuer.claims(CLIENT_ID, "grace"));
    let me_again: Value = app
        .get(&again, "/api/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me_again["id"], me["id"]);
    let done = app
        .run(&again, json!({"code": "print('hi from oidc')"}))
        .await;
    assert_eq!(done["stdout"], "hi from oidc\n");

    let settings: Value = app
        .client
        .get(app.url("/api/v1/auth/config"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["oidc_providers"][0]["client_id"], CLIENT_ID);
}

#[tokio::test]
async fn oidc_tokens_for_another_audience_or_issuer_are_refused() {
    let issuer = MockIssuer::start(vec!["rsa-a"]).await;
    let stranger = MockIssuer::start(vec!["rsa-a"]).await;
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.oidc_providers = vec![OidcProvider {
        issuer: issuer.url.clone(),
        audience: CLIENT_ID.into(),
    }];
    let app = spawn_app_with(options).await;
    for token in [
        sign("rsa-a", &issuer.claims("another-app", "eve")),
        sign("rsa-a", &stranger.claims(CLIENT_ID, "eve")),
    ] {
        assert_eq!(app.get(&token, "/api/v1/auth/me").await.status(), 401);
    }
}

#[tokio::test]
async fn the_content_security_policy_admits_the_issuer_for_the_browser_flow() {
    let issuer = MockIssuer::start(vec!["rsa-a"]).await;
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.oidc_providers = vec![OidcProvider {
        issuer: issuer.url.clone(),
        audience: CLIENT_ID.into(),
    }];
    let app = spawn_app_with(options).await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains(&format!("connect-src 'self' {}", issuer.url)),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["x-frame-options"], "DENY");
}

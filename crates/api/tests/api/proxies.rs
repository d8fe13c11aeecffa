//! Behind a reverse proxy: `X-Forwarded-For` names the client only when the connection comes
//! from a trusted proxy, and then the per-IP limits and the audit log use that address. The test
//! client connects from 127.0.0.1, which plays the proxy.

use code_remote_api::TrustedProxies;
use serde_json::{Value, json};

use crate::helpers::{Options, TestApp, spawn_app_with};

fn trusting(networks: &[&str]) -> Options {
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.trusted_proxies = TrustedProxies::new(
        networks
            .iter()
            .map(|network| TrustedProxies::parse_network(network).unwrap()),
    );
    options
}

/// Registers `username` in a request carrying these `X-Forwarded-For` headers; returns its token.
async fn register_via(app: &TestApp, username: &str, forwarded_for: &[&str]) -> String {
    let mut request = app
        .client
        .post(app.url("/api/v1/auth/register"))
        .json(&json!({"username": username, "password": "a long enough password"}));
    for value in forwarded_for {
        request = request.header("x-forwarded-for", *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// The address the audit log recorded for `username`'s registration.
async fn registered_from(app: &TestApp, admin: &str, username: &str) -> Value {
    let audit: Value = app
        .get(admin, "/api/v1/admin/audit")
        .await
        .json()
        .await
        .unwrap();
    let entry = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "user.registered" && e["target"] == username)
        .unwrap_or_else(|| panic!("no registration of {username} in {audit}"))
        .clone();
    entry["ip"].clone()
}

async fn status_from(app: &TestApp, path: &str, forwarded_for: &str) -> u16 {
    app.client
        .get(app.url(path))
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_for_is_ignored_by_the_audit_log() {
    let app = spawn_app_with(trusting(&[])).await;
    let admin = register_via(&app, "admin", &["203.0.113.7"]).await;
    assert_eq!(registered_from(&app, &admin, "admin").await, "127.0.0.1");
}

#[tokio::test]
async fn spoofed_forwarded_for_headers_do_not_escape_the_per_ip_limit() {
    let mut options = trusting(&[]);
    options.config.rate_limits.ip_requests_per_second = 1;
    options.config.rate_limits.ip_burst = 3;
    let app = spawn_app_with(options).await;
    let mut statuses = Vec::new();
    for client in 1..=6 {
        let spoofed = format!("203.0.113.{client}");
        statuses.push(status_from(&app, "/api/v1/auth/config", &spoofed).await);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_request_limit() {
    let mut options = trusting(&["127.0.0.1/32"]);
    options.config.rate_limits.ip_requests_per_second = 1;
    options.config.rate_limits.ip_burst = 2;
    let app = spawn_app_with(options).await;
    let mut limited = false;
    for _ in 0..6 {
        if status_from(&app, "/api/v1/auth/config", "203.0.113.1").await == 429 {
            limited = true;
            break;
        }
    }
    assert!(
        limited,
        "the first client is limited within 6 quick requests"
    );
    assert_eq!(
        status_from(&app, "/api/v1/auth/config", "203.0.113.2").await,
        200
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_login_limit() {
    let mut options = trusting(&["127.0.0.1/32"]);
    options.config.rate_limits.logins_per_minute_per_ip = 2;
    let app = spawn_app_with(options).await;
    app.register("alice").await;
    let login = |user: &str, forwarded_for: &str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", forwarded_for)
            .json(&json!({"username": user, "password": "a long enough password"}))
            .send()
    };
    for user in ["nobody", "nobody-else"] {
        assert_eq!(login(user, "203.0.113.1").await.unwrap().status(), 401);
    }
    assert_eq!(login("alice", "203.0.113.1").await.unwrap().status(), 429);
    assert_eq!(login("alice", "203.0.113.2").await.unwrap().status(), 200);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_audit_log_records_the_forwarded_client() {
    let app = spawn_app_with(trusting(&["127.0.0.1/32"])).await;
    let admin = register_via(&app, "admin", &["203.0.113.7"]).await;
    assert_eq!(registered_from(&app, &admin, "admin").await, "203.0.113.7");
}

#[tokio::test]
async fn forwarded_for_is_walked_from_the_right_past_trusted_proxies_only() {
    let app = spawn_app_with(trusting(&["127.0.0.1/32", "10.0.0.0/8"])).await;
    let admin = register_via(&app, "admin", &["198.51.100.9, 203.0.113.7, 10.1.2.3"]).await;
    assert_eq!(
        registered_from(&app, &admin, "admin").await,
        "203.0.113.7",
        "the spoofed leftmost entry is not believed"
    );
    register_via(&app, "split", &["198.51.100.9", "203.0.113.8, 10.1.2.3"]).await;
    assert_eq!(registered_from(&app, &admin, "split").await, "203.0.113.8");
}

#[tokio::test]
async fn a_malformed_forwarded_for_entry_stops_at_the_last_trusted_hop() {
    let app = spawn_app_with(trusting(&["127.0.0.1/32", "10.0.0.0/8"])).await;
    let admin = register_via(&app, "admin", &["203.0.113.7, not-an-address, 10.1.2.3"]).await;
    assert_eq!(registered_from(&app, &admin, "admin").await, "10.1.2.3");
    register_via(&app, "garbled", &["203.0.113.7, ;drop table"]).await;
    assert_eq!(registered_from(&app, &admin, "garbled").await, "127.0.0.1");
}

//! Account hardening (security review A1, A6–A10, A12): bounded fields and keys, no lock-out by
//! strangers, case-insensitive usernames, one first admin, registration limits and invitations,
//! single-use refresh tokens, and API keys revoked by a password change.

use std::time::{Duration, Instant};

use code_remote_api::{RegistrationMode, TrustedProxies};
use serde_json::{Value, json};

use crate::helpers::{Options, TestApp, assert_error, spawn_app_with};

const PASSWORD: &str = "a long enough password";
const RACERS: usize = 8;

fn options() -> Options {
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    // Requests come from 127.0.0.1; `X-Forwarded-For` plays the part of other clients.
    options.config.trusted_proxies =
        TrustedProxies::new([TrustedProxies::parse_network("127.0.0.1").unwrap()]);
    options
}

async fn post_from(app: &TestApp, path: &str, client: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("x-forwarded-for", client)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn login_from(app: &TestApp, client: &str, username: &str, password: &str) -> u16 {
    let body = json!({"username": username, "password": password});
    post_from(app, "/api/v1/auth/login", client, body)
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_oversized_username_or_password_is_refused_before_any_limiter_or_audit() {
    let app = spawn_app_with(options()).await;
    let long_name = json!({"username": "a".repeat(33), "password": PASSWORD});
    let response = app.post_anonymous("/api/v1/auth/login", long_name).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation_failed", "{body}");
    assert_eq!(body["error"]["field"], "username");
    let long_password = json!({"username": "ada", "password": "p".repeat(1025)});
    let response = app
        .post_anonymous("/api/v1/auth/login", long_password)
        .await;
    assert_error(response, 422, "validation_failed").await;
    // Bodies far past what an auth call needs are refused before parsing.
    let huge = json!({"username": "a".repeat(64 * 1024), "password": PASSWORD});
    let response = app.post_anonymous("/api/v1/auth/login", huge).await;
    assert_error(response, 413, "payload_too_large").await;
    assert_eq!(app.state.throttle.login_key_count(), 0);
    assert!(app.store.audit_log(10, None).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_flood_of_unique_usernames_is_pruned_from_the_limiters() {
    let mut options = options();
    options.config.rate_limits.logins_per_minute_per_ip = 10_000;
    let app = spawn_app_with(options).await;
    const FLOOD: usize = 40;
    for n in 0..FLOOD {
        let status = login_from(&app, "203.0.113.9", &format!("nobody-{n}"), PASSWORD).await;
        assert_eq!(status, 401);
    }
    let during = app.state.throttle.login_key_count();
    assert!(during <= 1 + 2 * FLOOD, "{during} keys");
    // What the pruning task does once the failures are old enough to forget.
    app.state
        .throttle
        .prune_at(Instant::now() + Duration::from_secs(16 * 60));
    let after = app.state.throttle.login_key_count();
    assert!(
        after <= 1,
        "only the address's own login limit may remain: {after} keys"
    );
}

#[tokio::test]
async fn a_strangers_failed_logins_from_one_address_do_not_lock_the_owner_out() {
    let app = spawn_app_with(options()).await;
    let body = json!({"username": "victim", "password": PASSWORD});
    let created = post_from(&app, "/api/v1/auth/register", "198.51.100.2", body).await;
    assert_eq!(created.status(), 201);
    let mut statuses = Vec::new();
    for _ in 0..20 {
        // Another letter case is the same account.
        statuses.push(login_from(&app, "203.0.113.66", "VICTIM", "wrong password!!").await);
    }
    assert!(
        statuses.iter().all(|s| [401, 429].contains(s)),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&429),
        "the stranger is slowed down: {statuses:?}"
    );
    assert_eq!(
        login_from(&app, "198.51.100.2", "victim", PASSWORD).await,
        200
    );
    // Even from an address the owner never used.
    assert_eq!(
        login_from(&app, "192.0.2.50", "Victim", PASSWORD).await,
        200
    );
}

#[tokio::test]
async fn failed_logins_from_many_addresses_do_not_lock_the_owner_out_of_a_known_address() {
    let app = spawn_app_with(options()).await;
    let body = json!({"username": "victim", "password": PASSWORD});
    let created = post_from(&app, "/api/v1/auth/register", "198.51.100.2", body).await;
    assert_eq!(created.status(), 201);
    for n in 1..=20 {
        let stranger = format!("203.0.113.{n}");
        let status = login_from(&app, &stranger, "victim", "wrong password!!").await;
        assert!([401, 429].contains(&status), "{status}");
    }
    assert_eq!(
        login_from(&app, "198.51.100.2", "victim", PASSWORD).await,
        200
    );
    // A newcomer waits at most briefly: never a hard wall.
    let response = post_from(
        &app,
        "/api/v1/auth/login",
        "192.0.2.50",
        json!({"username": "victim", "password": PASSWORD}),
    )
    .await;
    if response.status() == 429 {
        let wait: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(wait <= 30, "retry after {wait} s");
    } else {
        assert_eq!(response.status(), 200);
    }
}

#[tokio::test]
async fn usernames_differing_only_in_letter_case_are_one_account() {
    let app = spawn_app_with(options()).await;
    app.register("Ada").await;
    let again = app
        .post_anonymous(
            "/api/v1/auth/register",
            json!({"username": "ada", "password": "another long password"}),
        )
        .await;
    assert_error(again, 409, "username_taken").await;
    assert_eq!(login_from(&app, "192.0.2.1", "ADA", PASSWORD).await, 200);
}

#[tokio::test]
async fn concurrent_sign_ups_on_an_empty_server_make_exactly_one_admin() {
    // A few fresh servers: the race is between two requests of the first pair, so one round
    // alone would often miss it. (The store's suite races the database itself, both backends.)
    for round in 0..3 {
        let app = spawn_app_with(options()).await;
        let sign_ups = (0..RACERS).map(|n| {
            app.post_anonymous(
                "/api/v1/auth/register",
                json!({"username": format!("racer{n}"), "password": PASSWORD}),
            )
        });
        let mut admins = 0;
        for response in futures::future::join_all(sign_ups).await {
            assert_eq!(response.status(), 201);
            let body: Value = response.json().await.unwrap();
            admins += usize::from(body["user"]["role"] == "admin");
        }
        assert_eq!(admins, 1, "round {round}");
    }
}

#[tokio::test]
async fn a_refresh_token_redeemed_concurrently_works_exactly_once() {
    let app = spawn_app_with(options()).await;
    let body = json!({"username": "frank", "password": PASSWORD});
    let tokens: Value = app
        .post_anonymous("/api/v1/auth/register", body)
        .await
        .json()
        .await
        .unwrap();
    let refresh = json!({"refresh_token": tokens["refresh_token"]});
    let redemptions =
        (0..RACERS).map(|_| app.post_anonymous("/api/v1/auth/refresh", refresh.clone()));
    let statuses: Vec<u16> = futures::future::join_all(redemptions)
        .await
        .iter()
        .map(|response| response.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [200, 401].contains(s)),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn reusing_a_refresh_token_ends_every_session_of_the_account() {
    let app = spawn_app_with(options()).await;
    let body = json!({"username": "frank", "password": PASSWORD});
    let first: Value = app
        .post_anonymous("/api/v1/auth/register", body)
        .await
        .json()
        .await
        .unwrap();
    let refresh = json!({"refresh_token": first["refresh_token"]});
    let second: Value = app
        .post_anonymous("/api/v1/auth/refresh", refresh.clone())
        .await
        .json()
        .await
        .unwrap();
    let access = second["access_token"].as_str().unwrap();
    assert_eq!(app.get(access, "/api/v1/auth/me").await.status(), 200);
    let reused = app.post_anonymous("/api/v1/auth/refresh", refresh).await;
    assert_error(reused, 401, "unauthorized").await;
    // The thief's copy and the owner's rotation are one family: both end.
    assert_eq!(app.get(access, "/api/v1/auth/me").await.status(), 401);
    let newest = json!({"refresh_token": second["refresh_token"]});
    let refused = app.post_anonymous("/api/v1/auth/refresh", newest).await;
    assert_eq!(refused.status(), 401);
}

#[tokio::test]
async fn a_password_change_revokes_every_api_key() {
    let app = spawn_app_with(options()).await;
    let token = app.register("ada").await;
    let created: Value = app
        .post(&token, "/api/v1/keys", json!({"name": "ci"}))
        .await
        .json()
        .await
        .unwrap();
    let key = created["key"].as_str().unwrap();
    assert_eq!(app.get(key, "/api/v1/auth/me").await.status(), 200);
    let change = json!({"current_password": PASSWORD, "new_password": "a brand new password"});
    let response = app.post(&token, "/api/v1/auth/password", change).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["revoked_api_keys"], 1);
    assert!(body["access_token"].is_string());
    assert_error(app.get(key, "/api/v1/auth/me").await, 401, "unauthorized").await;
}

#[tokio::test]
async fn registrations_are_limited_per_address() {
    let mut options = options();
    options.config.rate_limits.registrations_per_hour_per_ip = 2;
    let app = spawn_app_with(options).await;
    let register = |name: &str, client: &'static str| {
        let body = json!({"username": name, "password": PASSWORD});
        post_from(&app, "/api/v1/auth/register", client, body)
    };
    assert_eq!(register("one", "203.0.113.5").await.status(), 201);
    assert_eq!(register("two", "203.0.113.5").await.status(), 201);
    let refused = register("three", "203.0.113.5").await;
    assert!(refused.headers().get("retry-after").is_some());
    assert_error(refused, 429, "too_many_registrations").await;
    assert_eq!(register("three", "203.0.113.6").await.status(), 201);
    // IPv6 clients count by their /64.
    assert_eq!(register("four", "2001:db8::1").await.status(), 201);
    assert_eq!(register("five", "2001:db8::2").await.status(), 201);
    assert_eq!(register("six", "2001:db8::3").await.status(), 429);
}

#[tokio::test]
async fn invite_mode_requires_a_valid_single_use_code() {
    let mut options = options();
    options.config.registration = RegistrationMode::Invite;
    let app = spawn_app_with(options).await;
    let settings: Value = app
        .client
        .get(app.url("/api/v1/auth/config"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["registration"], "invite");
    assert_eq!(settings["registration_open"], false);

    let register = |name: &str, invitation: Option<&str>| {
        let body = json!({"username": name, "password": PASSWORD, "invitation": invitation});
        app.post_anonymous("/api/v1/auth/register", body)
    };
    assert_error(register("root", None).await, 422, "invitation_required").await;
    let bogus = register("root", Some("cri_not-a-real-code")).await;
    assert_error(bogus, 422, "invitation_not_valid").await;

    let hash = code_remote_auth::hash_password(PASSWORD).unwrap();
    let admin = app
        .store
        .create_user(code_remote_store::NewUser {
            username: "root".into(),
            email: None,
            password_hash: Some(hash),
            role: code_remote_core::Role::Admin,
            oidc: None,
        })
        .await
        .unwrap();
    let login = json!({"username": admin.username, "password": PASSWORD});
    let tokens: Value = app
        .post_anonymous("/api/v1/auth/login", login)
        .await
        .json()
        .await
        .unwrap();
    let admin_token = tokens["access_token"].as_str().unwrap();
    let invitation = app
        .post(admin_token, "/api/v1/admin/invitations", json!({}))
        .await;
    assert_eq!(invitation.status(), 201);
    let invitation: Value = invitation.json().await.unwrap();
    let code = invitation["code"].as_str().unwrap();

    let created = register("grace", Some(code)).await;
    assert_eq!(created.status(), 201);
    let grace: Value = created.json().await.unwrap();
    assert_eq!(grace["user"]["role"], "user");
    let again = register("hopper", Some(code)).await;
    assert_error(again, 422, "invitation_not_valid").await;

    let user_token = grace["access_token"].as_str().unwrap();
    let forbidden = app
        .post(user_token, "/api/v1/admin/invitations", json!({}))
        .await;
    assert_error(forbidden, 403, "forbidden").await;
}

#[tokio::test]
async fn closed_registration_refuses_everyone() {
    let mut options = options();
    options.config.registration = RegistrationMode::Closed;
    let app = spawn_app_with(options).await;
    let body = json!({"username": "ada", "password": PASSWORD});
    let refused = app.post_anonymous("/api/v1/auth/register", body).await;
    assert_error(refused, 403, "forbidden").await;
}

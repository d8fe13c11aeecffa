use serde_json::{Value, json};

use crate::helpers::{assert_error, spawn_app};

#[tokio::test]
async fn the_first_account_is_an_admin_and_later_ones_are_users() {
    let app = spawn_app().await;
    let admin = app.register("alice").await;
    let user = app.register("bob").await;
    let me: Value = app
        .get(&admin, "/api/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
    let me: Value = app
        .get(&user, "/api/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "user");
    assert_eq!(me["username"], "bob");
}

#[tokio::test]
async fn login_gives_a_working_token_and_wrong_passwords_do_not() {
    let app = spawn_app().await;
    app.register("carol").await;
    let response = app
        .post_anonymous(
            "/api/v1/auth/login",
            json!({"username": "carol", "password": "a long enough password"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().unwrap() > 0);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(app.get(token, "/api/v1/auth/me").await.status(), 200);

    let wrong = app
        .post_anonymous(
            "/api/v1/auth/login",
            json!({"username": "carol", "password": "not the password"}),
        )
        .await;
    let message = assert_error(wrong, 401, "unauthorized").await;
    let unknown = app
        .post_anonymous(
            "/api/v1/auth/login",
            json!({"username": "nobody", "password": "not the password"}),
        )
        .await;
    // The same answer for an unknown user: no account enumeration.
    assert_eq!(assert_error(unknown, 401, "unauthorized").await, message);
}

#[tokio::test]
async fn a_taken_username_is_a_conflict_and_weak_passwords_are_refused() {
    let app = spawn_app().await;
    app.register("dave").await;
    let again = app
        .post_anonymous(
            "/api/v1/auth/register",
            json!({"username": "dave", "password": "another long password"}),
        )
        .await;
    assert_error(again, 409, "username_taken").await;
    let weak = app
        .post_anonymous(
            "/api/v1/auth/register",
            json!({"username": "erin", "password": "short"}),
        )
        .await;
    assert_eq!(weak.status(), 422);
    let body: Value = weak.json().await.unwrap();
    assert_eq!(body["error"]["field"], "password");
}

#[tokio::test]
async fn logout_revokes_the_token_and_refresh_issues_a_new_one() {
    let app = spawn_app().await;
    let response = app
        .post_anonymous(
            "/api/v1/auth/register",
            json!({"username": "frank", "password": "a long enough password"}),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    let access = body["access_token"].as_str().unwrap();
    let refresh = body["refresh_token"].as_str().unwrap();

    let refreshed = app
        .post_anonymous("/api/v1/auth/refresh", json!({"refresh_token": refresh}))
        .await;
    assert_eq!(refreshed.status(), 200);

    let logout = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert_error(
        app.get(access, "/api/v1/auth/me").await,
        401,
        "unauthorized",
    )
    .await;
    // (Reusing a refresh token also ends every session: see accounts.rs.)
    let reused = app
        .post_anonymous("/api/v1/auth/refresh", json!({"refresh_token": refresh}))
        .await;
    assert_error(reused, 401, "unauthorized").await;
}

#[tokio::test]
async fn calls_without_a_valid_token_are_unauthorized() {
    let app = spawn_app().await;
    let anonymous = app
        .client
        .get(app.url("/api/v1/executions"))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, 401, "unauthorized").await;
    assert_error(
        app.get("not-a-token", "/api/v1/executions").await,
        401,
        "unauthorized",
    )
    .await;
    assert_error(
        app.get("crk_0123456789ab_secret", "/api/v1/executions")
            .await,
        401,
        "unauthorized",
    )
    .await;
}

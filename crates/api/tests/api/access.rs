//! The access matrix: every endpoint and the WebSocket as anonymous, owner, another user, admin,
//! a disabled user and a revoked API key.

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::{connect_async, tungstenite::Message};

use crate::helpers::{TestApp, spawn_app};

struct Callers {
    owner: String,
    other: String,
    admin: String,
    disabled: String,
    revoked_key: String,
}

const ANONYMOUS: &str = "";

async fn status(app: &TestApp, token: &str, method: &str, path: &str, body: Value) -> u16 {
    let mut request = app.client.request(method.parse().unwrap(), app.url(path));
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    if method != "GET" {
        request = request.json(&body);
    }
    request.send().await.unwrap().status().as_u16()
}

async fn setup(app: &TestApp) -> (Callers, String) {
    let admin = app.register("admin").await;
    let owner = app.register("owner").await;
    let other = app.register("other").await;
    let disabled = app.register("disabled").await;
    let users: Value = app
        .get(&admin, "/api/v1/admin/users")
        .await
        .json()
        .await
        .unwrap();
    let disabled_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "disabled")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/admin/users/{disabled_id}")))
        .bearer_auth(&admin)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let created: Value = app
        .post(&owner, "/api/v1/keys", json!({"name": "ci"}))
        .await
        .json()
        .await
        .unwrap();
    let key = created["key"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(&key, "/api/v1/auth/me").await.status(),
        200,
        "a fresh key works"
    );
    let id = created["id"].as_str().unwrap();
    assert_eq!(
        app.client
            .delete(app.url(&format!("/api/v1/keys/{id}")))
            .bearer_auth(&owner)
            .send()
            .await
            .unwrap()
            .status(),
        204
    );

    let job = app.run(&owner, json!({"code": "print('mine')"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (
        Callers {
            owner,
            other,
            admin,
            disabled,
            revoked_key: key,
        },
        job,
    )
}

#[tokio::test]
async fn every_endpoint_answers_each_kind_of_caller_as_it_should() {
    let app = spawn_app().await;
    let (callers, job) = setup(&app).await;
    let exec = format!("/api/v1/executions/{job}");
    let cancel = format!("/api/v1/executions/{job}/cancel");
    let code = json!({"code": "print(1)"});
    // (method, path, body, [anonymous, owner, other, admin, disabled, revoked key])
    let matrix: Vec<(&str, &str, Value, [u16; 6])> = vec![
        ("GET", &exec, json!(null), [401, 200, 404, 200, 401, 401]),
        ("POST", &cancel, json!({}), [401, 409, 404, 409, 401, 401]),
        (
            "GET",
            "/api/v1/executions",
            json!(null),
            [401, 200, 200, 200, 401, 401],
        ),
        (
            "GET",
            "/api/v1/executions?all=true",
            json!(null),
            [401, 403, 403, 200, 401, 401],
        ),
        (
            "POST",
            "/api/v1/executions",
            code.clone(),
            [401, 202, 202, 202, 401, 401],
        ),
        (
            "POST",
            "/api/v1/analyses",
            json!({"code": "for i in range(n): pass", "mode": "static"}),
            [401, 200, 200, 200, 401, 401],
        ),
        (
            "GET",
            "/api/v1/keys",
            json!(null),
            [401, 200, 200, 200, 401, 401],
        ),
        (
            "POST",
            "/api/v1/keys",
            json!({"name": "k"}),
            [401, 201, 201, 201, 401, 401],
        ),
        (
            "GET",
            "/api/v1/auth/me",
            json!(null),
            [401, 200, 200, 200, 401, 401],
        ),
        (
            "GET",
            "/api/v1/admin/users",
            json!(null),
            [401, 403, 403, 200, 401, 401],
        ),
        (
            "GET",
            "/api/v1/admin/audit",
            json!(null),
            [401, 403, 403, 200, 401, 401],
        ),
    ];
    let tokens = [
        ANONYMOUS,
        &callers.owner,
        &callers.other,
        &callers.admin,
        &callers.disabled,
        &callers.revoked_key,
    ];
    let names = [
        "anonymous",
        "owner",
        "other",
        "admin",
        "disabled",
        "revoked key",
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &matrix {
        for ((token, name), want) in tokens.iter().zip(names).zip(expected) {
            let got = status(&app, token, method, path, body.clone()).await;
            if got != *want {
                failures.push(format!(
                    "{method} {path} as {name}: got {got}, expected {want}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn websocket_subscriptions_follow_the_same_rules() {
    let app = spawn_app().await;
    let (callers, job) = setup(&app).await;
    for token in [ANONYMOUS, &callers.disabled, &callers.revoked_key] {
        assert!(
            connect_async(app.ws_url(token)).await.is_err(),
            "the upgrade is refused"
        );
    }
    for (token, allowed) in [
        (&callers.owner, true),
        (&callers.admin, true),
        (&callers.other, false),
    ] {
        let (mut socket, _) = connect_async(app.ws_url(token)).await.unwrap();
        socket
            .send(Message::Text(
                json!({"type": "subscribe", "job_id": job})
                    .to_string()
                    .into(),
            ))
            .await
            .unwrap();
        let Some(Ok(Message::Text(text))) = socket.next().await else {
            panic!("no reply")
        };
        let reply: Value = serde_json::from_str(&text).unwrap();
        if allowed {
            assert_eq!(reply["seq"], 1, "{reply}");
        } else {
            assert_eq!(reply["type"], "error");
            assert_eq!(reply["code"], "not_found");
        }
    }
}

#[tokio::test]
async fn disabling_a_user_stops_their_tokens_at_once_and_is_audited() {
    let app = spawn_app().await;
    let admin = app.register("admin").await;
    let user = app.register("mallory").await;
    assert_eq!(app.get(&user, "/api/v1/executions").await.status(), 200);
    let me: Value = app
        .get(&user, "/api/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/admin/users/{}", me["id"].as_str().unwrap());
    app.client
        .patch(app.url(&path))
        .bearer_auth(&admin)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(app.get(&user, "/api/v1/executions").await.status(), 401);
    let login = app
        .post_anonymous(
            "/api/v1/auth/login",
            json!({"username": "mallory", "password": "a long enough password"}),
        )
        .await;
    assert_eq!(login.status(), 401);
    let audit: Value = app
        .get(&admin, "/api/v1/admin/audit")
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"user.disabled_changed"), "{actions:?}");
    assert!(actions.contains(&"auth.login_disabled"), "{actions:?}");
    assert!(actions.contains(&"user.registered"), "{actions:?}");
    let refused = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "auth.login_disabled")
        .unwrap();
    assert_eq!(
        refused["ip"], "127.0.0.1",
        "login events carry the caller's address: {refused}"
    );
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let admin = app.register("admin").await;
    let me: Value = app
        .get(&admin, "/api/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/admin/users/{}", me["id"].as_str().unwrap());
    let response = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&admin)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn a_password_change_revokes_older_tokens() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let response = app.post(&token, "/api/v1/auth/password", json!({"current_password": "a long enough password", "new_password": "an even longer password"})).await;
    assert_eq!(response.status(), 200);
    let fresh: Value = response.json().await.unwrap();
    assert_eq!(app.get(&token, "/api/v1/auth/me").await.status(), 401);
    assert_eq!(
        app.get(fresh["access_token"].as_str().unwrap(), "/api/v1/auth/me")
            .await
            .status(),
        200
    );
    let wrong = app
        .post(
            fresh["access_token"].as_str().unwrap(),
            "/api/v1/auth/password",
            json!({"current_password": "wrong", "new_password": "whatever long enough"}),
        )
        .await;
    assert_eq!(wrong.status(), 401);
}

#[tokio::test]
async fn api_keys_are_shown_once_and_listed_without_their_secret() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let created: Value = app
        .post(
            &token,
            "/api/v1/keys",
            json!({"name": "laptop", "expires_in_days": 30}),
        )
        .await
        .json()
        .await
        .unwrap();
    let key = created["key"].as_str().unwrap();
    assert!(key.starts_with("crk_"));
    assert!(created["expires_at"].is_string());
    let listed: Value = app.get(&token, "/api/v1/keys").await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(listed[0].get("key").is_none(), "the secret is never listed");
    assert!(!listed.to_string().contains(key));
    let done = app.run(key, json!({"code": "print('via key')"})).await;
    assert_eq!(done["stdout"], "via key\n");
    let listed: Value = app.get(&token, "/api/v1/keys").await.json().await.unwrap();
    assert!(
        listed[0]["last_used_at"].is_string(),
        "using a key records when: {listed}"
    );
    assert_eq!(
        app.post(&token, "/api/v1/keys", json!({"name": ""}))
            .await
            .status(),
        422
    );
    assert_eq!(
        app.post(
            &token,
            "/api/v1/keys",
            json!({"name": "x", "expires_in_days": 0})
        )
        .await
        .status(),
        422
    );
}

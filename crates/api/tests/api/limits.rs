//! Rate limits and quotas answer 429 with Retry-After and say which limit was hit; other users
//! are not affected.

use serde_json::{Value, json};

use crate::helpers::{Options, assert_error, spawn_app_with};

#[tokio::test]
async fn requests_over_the_per_user_rate_are_429_and_other_users_are_not_affected() {
    let mut options = Options::default();
    options.config.rate_limits.user_requests_per_second = 1;
    options.config.rate_limits.user_burst = 3;
    let app = spawn_app_with(options).await;
    let alice = app.register("alice").await;
    let bob = app.register("bob").await;
    let mut limited = None;
    for _ in 0..10 {
        let response = app.get(&alice, "/api/v1/executions").await;
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
    }
    let response = limited.expect("alice is limited within 10 quick requests");
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    let message = assert_error(response, 429, "rate_limited").await;
    assert!(message.contains("account"), "{message}");
    assert_eq!(app.get(&bob, "/api/v1/executions").await.status(), 200);
}

#[tokio::test]
async fn failed_logins_to_an_account_from_one_address_back_off() {
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.rate_limits.login_failures_before_backoff = 2;
    let app = spawn_app_with(options).await;
    app.register("alice").await;
    app.register("bob").await;
    let login = |user: &str, password: &str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": user, "password": password}))
            .send()
    };
    assert_eq!(
        login("alice", "wrong password!").await.unwrap().status(),
        401
    );
    assert_eq!(
        login("alice", "wrong password!").await.unwrap().status(),
        401
    );
    // Even the right password is refused from this address for now: guessing is throttled.
    let refused = login("alice", "a long enough password").await.unwrap();
    assert!(refused.headers().get("retry-after").is_some());
    assert_error(refused, 429, "too_many_login_attempts").await;
    assert_eq!(
        login("bob", "a long enough password")
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn the_daily_cpu_quota_stops_new_runs() {
    let mut options = Options::default();
    options.config.rate_limits.cpu_seconds_per_user_per_day = Some(1);
    let app = spawn_app_with(options).await;
    let alice = app.register("alice").await;
    let bob = app.register("bob").await;
    let burn = json!({"code": "import time\nt = time.process_time()\nwhile time.process_time() - t < 1.2: pass"});
    let done = app.run(&alice, burn).await;
    assert!(done["cpu_time_ms"].as_u64().unwrap() >= 1000, "{done}");
    let refused = app
        .post(&alice, "/api/v1/executions", json!({"code": "print(1)"}))
        .await;
    assert!(refused.headers().get("retry-after").is_some());
    let message = assert_error(refused, 429, "cpu_quota_exceeded").await;
    assert!(message.contains("CPU quota"), "{message}");
    let other: Value = app.run(&bob, json!({"code": "print(1)"})).await;
    assert_eq!(other["status"], "succeeded");
}

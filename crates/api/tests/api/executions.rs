use serde_json::{Value, json};

use crate::helpers::{Options, assert_error, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_submitted_program_is_queued_then_finishes_with_its_output() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let response = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": "print('hello')\nimport sys; print('oops', file=sys.stderr)"}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let queued: Value = response.json().await.unwrap();
    assert!(["queued", "running"].contains(&queued["status"].as_str().unwrap()));
    let done = app
        .wait_terminal(&token, queued["id"].as_str().unwrap())
        .await;
    assert_eq!(done["status"], "succeeded");
    assert_eq!(done["exit_code"], 0);
    assert_eq!(done["stdout"], "hello\n");
    assert_eq!(done["stderr"], "oops\n");
    assert!(done["wall_time_ms"].as_u64().is_some());
    assert!(done["peak_memory_kib"].as_u64().unwrap() > 0);
    assert!(done["finished_at"].is_string());
}

#[tokio::test]
async fn wait_true_answers_with_the_finished_execution() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let done = app.run(&token, json!({"code": "import sys\nprint(sys.stdin.read().upper())\nsys.exit(3)", "stdin": "abc"})).await;
    assert_eq!(done["status"], "failed");
    assert_eq!(done["exit_code"], 3);
    assert_eq!(done["stdout"], "ABC\n");
    assert!(done["message"].is_string());
}

#[tokio::test]
async fn a_time_limit_from_the_request_is_enforced() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let done = app
        .run(
            &token,
            json!({"code": "while True: pass", "limits": {"time_limit_ms": 1000}}),
        )
        .await;
    assert_eq!(done["status"], "timed_out");
    assert_eq!(done["limits"]["time_limit_ms"], 1000);
    assert!(
        done["message"].as_str().unwrap().contains("time limit"),
        "{done}"
    );
}

#[tokio::test]
async fn listing_pages_through_own_executions_newest_first() {
    let app = spawn_app().await;
    let alice = app.register("alice").await;
    let bob = app.register("bob").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let response = app
            .post(
                &alice,
                "/api/v1/executions",
                json!({"code": format!("print({i})")}),
            )
            .await;
        ids.push(
            response.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    app.post(&bob, "/api/v1/executions", json!({"code": "print('bob')"}))
        .await;

    let mut seen = Vec::new();
    let mut path = "/api/v1/executions?limit=2".to_owned();
    loop {
        let page: Value = app.get(&alice, &path).await.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/executions?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(
        seen, ids,
        "all of alice's jobs, newest first, none of bob's"
    );
}

#[tokio::test]
async fn other_users_executions_are_not_visible_or_cancellable() {
    let app = spawn_app().await;
    let admin = app.register("admin").await;
    let alice = app.register("alice").await;
    let bob = app.register("bob").await;
    let created: Value = app
        .post(&bob, "/api/v1/executions", json!({"code": "print(1)"}))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    assert_error(
        app.get(&alice, &format!("/api/v1/executions/{id}")).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.post(
            &alice,
            &format!("/api/v1/executions/{id}/cancel"),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let page: Value = app
        .get(&alice, "/api/v1/executions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    // The admin (first account) may list everyone's with all=true; bob may not.
    let all: Value = app
        .get(&admin, "/api/v1/executions?all=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
    assert_error(
        app.get(&bob, "/api/v1/executions?all=true").await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_running_program_can_be_cancelled() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let created: Value = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": "import time\nprint('started', flush=True)\ntime.sleep(60)"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    app.wait_status(&token, id, "running").await;
    let response = app
        .post(
            &token,
            &format!("/api/v1/executions/{id}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let done = app.wait_terminal(&token, id).await;
    assert_eq!(done["status"], "cancelled");
    let again = app
        .post(
            &token,
            &format!("/api/v1/executions/{id}/cancel"),
            json!({}),
        )
        .await;
    assert_error(again, 409, "already_finished").await;
}

#[tokio::test]
async fn a_queued_program_is_cancelled_at_once() {
    // No workers: the job stays queued.
    let app = spawn_app_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    let token = app.register("alice").await;
    let created: Value = app
        .post(&token, "/api/v1/executions", json!({"code": "print(1)"}))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let response = app
        .post(
            &token,
            &format!("/api/v1/executions/{id}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "cancelled");
}

#[tokio::test]
async fn a_full_per_user_queue_answers_429_with_retry_after() {
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.queue.max_queued_per_user = 2;
    let app = spawn_app_with(options).await;
    let alice = app.register("alice").await;
    let bob = app.register("bob").await;
    for _ in 0..2 {
        assert_eq!(
            app.post(&alice, "/api/v1/executions", json!({"code": "pass"}))
                .await
                .status(),
            202
        );
    }
    let refused = app
        .post(&alice, "/api/v1/executions", json!({"code": "pass"}))
        .await;
    assert!(refused.headers().get("retry-after").is_some());
    assert_error(refused, 429, "too_many_queued_jobs").await;
    // Other users are not affected.
    assert_eq!(
        app.post(&bob, "/api/v1/executions", json!({"code": "pass"}))
            .await
            .status(),
        202
    );
}

#[tokio::test]
async fn a_users_jobs_run_in_submission_order() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let created: Value = app
            .post(
                &token,
                "/api/v1/executions",
                json!({"code": format!("print({i})")}),
            )
            .await
            .json()
            .await
            .unwrap();
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    let mut finished = Vec::new();
    for id in &ids {
        finished.push(app.wait_terminal(&token, id).await);
    }
    let time =
        |value: &Value| chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap();
    for pair in finished.windows(2) {
        let (a, b) = (time(&pair[0]["started_at"]), time(&pair[1]["started_at"]));
        assert!(a <= b, "started out of order: {a} then {b}");
        assert!(
            time(&pair[0]["finished_at"]) <= b,
            "per-user FIFO runs one at a time"
        );
    }
}

//! The daily CPU quota and the queue's caps hold for every kind of job: concurrent
//! submissions, and measured ("empirical") analyses, which run as queued jobs.

use serde_json::{Value, json};

use crate::helpers::{Options, assert_error, spawn_app_with};

/// Spins until killed at its time limit: uses about as much CPU as the limit allows.
const SPIN: &str = "while True: pass";

/// A function whose running time grows with its input, for the measured analysis.
const QUADRATIC: &str = "def pairs(arr: list) -> int:\n    c = 0\n    for x in arr:\n        for y in arr:\n            if x < y:\n                c += 1\n    return c\n";

#[tokio::test]
async fn concurrent_submissions_cannot_overrun_the_cpu_quota() {
    let mut options = Options::default();
    options.config.rate_limits.cpu_seconds_per_user_per_day = Some(1);
    let app = spawn_app_with(options).await;
    let alice = app.register("alice").await;
    let time_limit_ms = 600;
    let spin = json!({"code": SPIN, "limits": {"time_limit_ms": time_limit_ms}});
    let submissions =
        (0..5).map(|_| app.post(&alice, "/api/v1/executions?wait=true", spin.clone()));
    let responses = futures::future::join_all(submissions).await;

    let (mut cpu_ms, mut accepted) = (0, 0);
    for response in responses {
        if response.status() == 429 {
            assert_error(response, 429, "cpu_quota_exceeded").await;
            continue;
        }
        assert_eq!(response.status(), 200);
        let finished: Value = response.json().await.unwrap();
        cpu_ms += finished["cpu_time_ms"].as_u64().unwrap();
        accepted += 1;
    }
    // Each accepted job reserved 600 ms: the first two fit under 1 s, the rest did not.
    assert_eq!(accepted, 2, "{cpu_ms} ms used");
    assert!(
        cpu_ms <= 1_000 + time_limit_ms,
        "{cpu_ms} ms used against a 1 s quota"
    );
}

#[tokio::test]
async fn measured_analysis_runs_as_a_queued_job_on_another_node_and_is_charged() {
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.rate_limits.cpu_seconds_per_user_per_day = Some(1);
    let app = spawn_app_with(options).await;
    // The API node has no sandbox; a worker node on the same database measures.
    let _workers = app.start_workers(1);
    let alice = app.register("alice").await;

    let body = json!({"code": QUADRATIC, "mode": "empirical"});
    let response = app.post(&alice, "/api/v1/analyses", body).await;
    assert_eq!(response.status(), 200);
    let analysis: Value = response.json().await.unwrap();
    let measurements = &analysis["measurements"];
    assert_eq!(measurements["function"], "pairs", "{analysis}");
    assert!(
        measurements["points"].as_array().unwrap().len() >= 4,
        "{analysis}"
    );
    assert!(
        measurements["verdict"].as_str().unwrap().starts_with("O(n"),
        "{analysis}"
    );
    assert_eq!(analysis["source"], "combined");

    // The measurement is not an execution of the history...
    let history: Value = app
        .get(&alice, "/api/v1/executions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"], json!([]), "{history}");
    // ...but its CPU time counts: seconds of timing used up a 1 s quota.
    let refused = app
        .post(&alice, "/api/v1/executions", json!({"code": "print(1)"}))
        .await;
    let message = assert_error(refused, 429, "cpu_quota_exceeded").await;
    assert!(message.contains("used today's CPU quota"), "{message}");
}

#[tokio::test]
async fn a_measurement_waits_in_the_users_queue_like_an_execution() {
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.queue.max_queued_per_user = 1;
    let app = spawn_app_with(options).await;
    let alice = app.register("alice").await;
    let queued = app
        .post(&alice, "/api/v1/executions", json!({"code": "print(1)"}))
        .await;
    assert_eq!(queued.status(), 202);

    let body = json!({"code": QUADRATIC, "mode": "empirical"});
    let refused = app.post(&alice, "/api/v1/analyses", body.clone()).await;
    assert_error(refused, 429, "too_many_queued_jobs").await;
    // Static analysis queues nothing, so the cap does not apply to it.
    let body = json!({"code": QUADRATIC, "mode": "static"});
    assert_eq!(
        app.post(&alice, "/api/v1/analyses", body).await.status(),
        200
    );
}

//! Every client mistake gets a 4xx with our error body, never a 500.

use serde_json::{Value, json};

use crate::helpers::{assert_error, spawn_app, spawn_app_with};

#[tokio::test]
async fn malformed_json_is_a_400_with_our_error_body() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let response = app
        .client
        .post(app.url("/api/v1/executions"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"code\": ")
        .send()
        .await
        .unwrap();
    assert_error(response, 400, "malformed_json").await;
}

#[tokio::test]
async fn wrong_field_types_and_unknown_fields_are_422() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    assert_error(
        app.post(&token, "/api/v1/executions", json!({"code": 5}))
            .await,
        422,
        "invalid_body",
    )
    .await;
    assert_error(
        app.post(
            &token,
            "/api/v1/executions",
            json!({"code": "", "network": true}),
        )
        .await,
        422,
        "invalid_body",
    )
    .await;
}

#[tokio::test]
async fn a_body_over_the_size_cap_is_413() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let huge = "x".repeat(5 * 1024 * 1024);
    assert_error(
        app.post(&token, "/api/v1/executions", json!({ "code": huge }))
            .await,
        413,
        "payload_too_large",
    )
    .await;
}

#[tokio::test]
async fn code_over_256_kib_and_stdin_over_1_mib_are_refused_by_field() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let response = app
        .post(
            &token,
            "/api/v1/executions",
            json!({ "code": "#".repeat(256 * 1024 + 1) }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "code");
    let response = app
        .post(
            &token,
            "/api/v1/executions",
            json!({ "code": "pass", "stdin": "x".repeat(1024 * 1024 + 1) }),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "stdin");
}

#[tokio::test]
async fn limits_outside_the_servers_bounds_are_refused() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let over = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": "pass", "limits": {"memory_limit_mib": 100000}}),
        )
        .await;
    let message = assert_error(over, 422, "validation_failed").await;
    assert!(message.contains("memory_limit_mib"), "{message}");
    let zero = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": "pass", "limits": {"time_limit_ms": 0}}),
        )
        .await;
    assert_error(zero, 422, "validation_failed").await;
}

#[tokio::test]
async fn unknown_ids_bad_cursors_and_bad_limits_are_4xx() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    assert_error(
        app.get(
            &token,
            "/api/v1/executions/0190b5f0-0000-7000-8000-000000000000",
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get(&token, "/api/v1/executions/not-a-uuid").await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get(&token, "/api/v1/executions?cursor=%%%garbage")
            .await,
        400,
        "invalid_cursor",
    )
    .await;
    assert_error(
        app.get(&token, "/api/v1/executions?limit=0").await,
        400,
        "invalid_limit",
    )
    .await;
    assert_error(
        app.get(&token, "/api/v1/executions?limit=abc").await,
        400,
        "invalid_query",
    )
    .await;
    assert_error(
        app.get(&token, "/api/v1/no-such-route").await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_syntax_error_in_analysis_is_422_with_line_and_column() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let response = app
        .post(
            &token,
            "/api/v1/analyses",
            json!({"code": "def f(:\n  pass\n", "mode": "static"}),
        )
        .await;
    let message = assert_error(response, 422, "syntax_error").await;
    assert!(message.contains("line 1"), "{message}");
    assert_error(
        app.post(
            &token,
            "/api/v1/analyses",
            json!({"code": "pass", "mode": "telepathy"}),
        )
        .await,
        422,
        "invalid_body",
    )
    .await;
    // Deeply nested input is refused, never a crash or a 500.
    let deep = format!("x = {}1", "-".repeat(200_000));
    let response = app
        .post(
            &token,
            "/api/v1/analyses",
            json!({"code": deep, "mode": "static"}),
        )
        .await;
    assert_error(response, 422, "too_complex").await;
}

#[tokio::test]
async fn health_readiness_metrics_and_openapi_answer() {
    let app = spawn_app().await;
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("code_remote_queue_depth"), "{metrics}");
    let openapi: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        openapi["paths"]["/executions"]["post"].is_object(),
        "{openapi}"
    );
    assert!(openapi["paths"]["/executions/{id}/cancel"]["post"].is_object());
    assert!(openapi["paths"]["/analyses"]["post"].is_object());
}

#[tokio::test]
async fn readiness_says_when_the_database_cannot_be_reached() {
    let app = spawn_app_with(crate::helpers::Options {
        workers: 0,
        ..Default::default()
    })
    .await;
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.store.close().await;
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_error(response, 503, "database_unavailable").await;
    // Liveness is about the process, not its dependencies.
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn every_error_answer_in_the_document_has_the_error_body() {
    let app = spawn_app().await;
    let openapi: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut errors = 0;
    for (path, operations) in openapi["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            for status in ["400", "429", "500"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} lacks {status}"
                );
            }
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/Error",
                        "{method} {path} {status}"
                    );
                    errors += 1;
                }
            }
        }
    }
    assert!(errors > 50, "{errors} error answers described");
    assert!(openapi["components"]["schemas"]["Error"]["properties"]["error"].is_object());
}

#[tokio::test]
async fn a_plain_get_of_the_websocket_route_gets_our_error_body() {
    let app = spawn_app().await;
    let token = app.register("plain").await;
    let response = app
        .client
        .get(app.url("/api/v1/ws"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_error(response, 400, "not_a_websocket_upgrade").await;
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_keeps_the_one_given() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let given = app
        .client
        .get(app.url("/api/v1/executions/not-an-id"))
        .header("x-request-id", "proxy-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "proxy-7f3a");
}

#[tokio::test]
async fn small_routes_refuse_bodies_far_larger_than_they_need() {
    let app = spawn_app().await;
    let token = app.register("keyholder").await;
    let name = "k".repeat(32 * 1024);
    let response = app
        .client
        .post(app.url("/api/v1/keys"))
        .bearer_auth(&token)
        .json(&json!({ "name": name }))
        .send()
        .await
        .unwrap();
    assert_error(response, 413, "payload_too_large").await;
    let code = "x".repeat(2 * 1024 * 1024);
    let response = app
        .client
        .post(app.url("/api/v1/analyses"))
        .bearer_auth(&token)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_error(response, 413, "payload_too_large").await;
}

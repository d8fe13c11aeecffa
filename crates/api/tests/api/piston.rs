//! The Piston v2 API under `/piston/api/v2`, sent exactly what Piston clients send.

use serde_json::{Value, json};

use crate::{helpers::spawn_app, judge0::api_key};

/// POSTs raw JSON bytes with `Authorization: <key>` and no Content-Type (as `piston-client` does).
async fn post_raw(
    app: &crate::helpers::TestApp,
    path: &str,
    auth: &str,
    body: &Value,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("Authorization", auth)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn piston_clients_request_without_content_type_runs_and_answers_strings() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let runtimes: Value = app
        .client
        .get(app.url("/piston/api/v2/runtimes"))
        .header("Authorization", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(runtimes[0]["language"], "python");
    assert!(
        runtimes[0]["aliases"]
            .as_array()
            .unwrap()
            .contains(&json!("py"))
    );
    let version = runtimes[0]["version"].as_str().unwrap();
    // `piston-client` 1.0.2's body: the runtime's exact version, args 1 2 3, -1 memory limits.
    let body = json!({
        "language": "python", "version": version, "files": [{"content": "print(input()[::-1])"}],
        "stdin": "abc", "args": ["1", "2", "3"], "compile_timeout": 10000, "run_timeout": 3000,
        "compile_memory_limit": -1, "run_memory_limit": -1,
    });
    let response = post_raw(&app, "/piston/api/v2/execute", &key, &body).await;
    assert_eq!(response.status(), 200);
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["language"], "python");
    assert_eq!(result["version"], version);
    assert!(
        result.get("compile").is_none(),
        "no compile stage for Python"
    );
    let run = &result["run"];
    assert_eq!(run["stdout"], "cba\n");
    assert_eq!(run["stderr"], "", "empty output is a string, never null");
    assert_eq!(run["output"], "cba\n");
    assert_eq!(run["code"], 0);
    assert_eq!(run["signal"], Value::Null);
    assert_eq!(run["status"], Value::Null);
    assert!(run["memory"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn aiopyston_trailing_slash_request_interleaves_output_and_reports_the_exit() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let code = "import sys, time\nprint('out1', flush=True)\ntime.sleep(0.3)\nprint('err1', file=sys.stderr, flush=True)\ntime.sleep(0.3)\nprint('out2', flush=True)\nsys.exit(2)";
    // aiopyston 1.2.1: `version="*"`, a named file, Content-Type and a raw key, trailing slash.
    let body = json!({
        "language": "python3", "version": "*", "stdin": "", "args": [], "compile_timeout": 10000,
        "run_timeout": 3000, "compile_memory_limit": -1, "run_memory_limit": -1,
        "files": [{"name": "", "content": code}],
    });
    let response = app
        .client
        .post(app.url("/piston/api/v2/execute/"))
        .header("Authorization", &key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let run = response.json::<Value>().await.unwrap()["run"].clone();
    assert_eq!(run["stdout"], "out1\nout2\n");
    assert_eq!(run["stderr"], "err1\n");
    assert_eq!(run["output"], "out1\nerr1\nout2\n");
    assert_eq!(run["code"], 2);
    assert_eq!(run["status"], "RE");
    // The public proxy's paths and `Bearer` work too.
    let bearer = post_raw(
        &app,
        "/piston/api/v2/piston/execute",
        &format!("Bearer {key}"),
        &body,
    )
    .await;
    assert_eq!(bearer.status(), 200);
}

#[tokio::test]
async fn a_run_past_its_timeout_is_killed_with_piston_fields() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let body = json!({"language": "py", "version": "3.x", "files": [{"content": "while True: pass"}], "run_timeout": 500});
    let run = post_raw(&app, "/piston/api/v2/execute", &key, &body)
        .await
        .json::<Value>()
        .await
        .unwrap()["run"]
        .clone();
    assert_eq!(run["status"], "TO");
    assert_eq!(run["signal"], "SIGKILL");
    assert_eq!(run["code"], Value::Null);
    assert_eq!(run["stdout"], "");
    assert_eq!(run["output"], "");
}

#[tokio::test]
async fn bad_requests_and_missing_keys_get_pistons_message_shape() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let ruby = json!({"language": "ruby", "version": "3", "files": [{"content": "puts 1"}]});
    let response = post_raw(&app, "/piston/api/v2/execute", &key, &ruby).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"message": "ruby-3 runtime is unknown"})
    );
    let no_files = json!({"language": "python", "version": "*"});
    let response = post_raw(&app, "/piston/api/v2/execute", &key, &no_files).await;
    assert_eq!(
        response.json::<Value>().await.unwrap()["message"],
        "files is required as an array"
    );
    let response = post_raw(&app, "/piston/api/v2/execute", "", &ruby).await;
    assert_eq!(response.status(), 401);
    assert!(response.json::<Value>().await.unwrap()["message"].is_string());
    let response = post_raw(&app, "/piston/api/v2/execute", "not-a-key", &ruby).await;
    assert_eq!(response.status(), 401);
    let unknown = app
        .client
        .get(app.url("/piston/api/v2/packages"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        unknown.json::<Value>().await.unwrap(),
        json!({"message": "Not Found"})
    );
}

#[tokio::test]
async fn piston_runs_are_the_key_owners_executions() {
    let app = spawn_app().await;
    let (access_token, key) = api_key(&app, "alice").await;
    let body = json!({"language": "python", "version": "*", "files": [{"content": "print('from piston')"}]});
    assert_eq!(
        post_raw(&app, "/piston/api/v2/execute", &key, &body)
            .await
            .status(),
        200
    );
    let history: Value = app
        .get(&access_token, "/api/v1/executions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"].as_array().unwrap().len(), 1);
    assert_eq!(history["items"][0]["stdout"], "from piston\n");
    assert_eq!(
        history["items"][0]["limits"]["time_limit_ms"], 3000,
        "Piston's default run_timeout"
    );
}

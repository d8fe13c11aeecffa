//! The Judge0 CE API under `/judge0`, called as Judge0 clients and the official SDK call it.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Registers `username` and creates an API key: (access token, API key).
pub async fn api_key(app: &TestApp, username: &str) -> (String, String) {
    let token = app.register(username).await;
    let created: Value = app
        .post(&token, "/api/v1/keys", json!({"name": "compat"}))
        .await
        .json()
        .await
        .unwrap();
    (token, created["key"].as_str().unwrap().to_owned())
}

async fn judge0(
    app: &TestApp,
    key: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method, app.url(&format!("/judge0{path}")))
        .header("X-Auth-Token", key)
        // What the SDK adds; ignored.
        .header("X-Judge0-App", "Judge0 Python SDK");
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn get(app: &TestApp, key: &str, path: &str) -> Value {
    let response = judge0(app, key, reqwest::Method::GET, path, None).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

/// POST with `wait=true`: the finished submission.
async fn run(app: &TestApp, key: &str, query: &str, body: Value) -> Value {
    let response = judge0(
        app,
        key,
        reqwest::Method::POST,
        &format!("/submissions?wait=true{query}"),
        Some(body),
    )
    .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

fn b64(text: &[u8]) -> String {
    STANDARD.encode(text)
}

fn unb64(value: &Value) -> Vec<u8> {
    STANDARD
        .decode(value.as_str().unwrap().replace('\n', ""))
        .unwrap()
}

/// Polls a batch as the SDK does (`fields=*`, base64) until no submission is queued or running.
async fn poll_batch(app: &TestApp, key: &str, tokens: &[&str]) -> Vec<Value> {
    let path = format!(
        "/submissions/batch?base64_encoded=true&fields=*&tokens={}",
        tokens.join(",")
    );
    for _ in 0..600 {
        let body = get(app, key, &path).await;
        let submissions = body["submissions"].as_array().unwrap().clone();
        if submissions
            .iter()
            .all(|s| s["status"]["id"].as_u64().unwrap() > 2)
        {
            return submissions;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the batch did not finish within 30 s");
}

fn assert_judge0_date(value: &Value) {
    let text = value.as_str().unwrap();
    let parsed = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.fZ");
    assert!(parsed.is_ok() && text.len() == 24, "{text}");
}

#[tokio::test]
async fn a_plain_run_answers_judge0s_default_fields_and_types() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let done = run(
        &app,
        &key,
        "",
        json!({"source_code": "print(input()[::-1])", "stdin": "abc", "language_id": 71}),
    )
    .await;
    let mut keys: Vec<&str> = done
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "compile_output",
            "memory",
            "message",
            "status",
            "stderr",
            "stdout",
            "time",
            "token"
        ]
    );
    assert_eq!(done["stdout"], "cba\n");
    assert_eq!(done["status"], json!({"id": 3, "description": "Accepted"}));
    assert_eq!(done["stderr"], Value::Null);
    assert_eq!(done["compile_output"], Value::Null);
    assert_eq!(done["message"], Value::Null);
    assert!(
        done["time"].as_str().unwrap().parse::<f64>().is_ok(),
        "time is a decimal string"
    );
    assert!(done["memory"].as_u64().unwrap() > 0);
    // Without wait, only the token; the token is the execution id.
    let response = judge0(
        &app,
        &key,
        reqwest::Method::POST,
        "/submissions",
        Some(json!({"source_code": "print(1)", "language_id": "71"})),
    )
    .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created.as_object().unwrap().len(), 1);
    assert!(
        created["token"]
            .as_str()
            .unwrap()
            .parse::<uuid::Uuid>()
            .is_ok()
    );
}

#[tokio::test]
async fn the_sdk_start_up_calls_answer_what_it_validates() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let about = get(&app, &key, "/about").await;
    assert_eq!(about["version"], "1.14.0-extra");
    let languages = get(&app, &key, "/languages").await;
    let ids: Vec<u64> = languages
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_u64().unwrap())
        .collect();
    for id in [71, 92, 100, 109, 113, 10, 25, 31, 32, 33] {
        assert!(ids.contains(&id), "{id} listed");
    }
    assert!(languages[0]["name"].as_str().unwrap().starts_with("Python"));
    let config = get(&app, &key, "/config_info").await;
    for field in [
        "maintenance_mode",
        "enable_wait_result",
        "enable_compiler_options",
        "allowed_languages_for_compile_options",
        "enable_command_line_arguments",
        "enable_submission_delete",
        "enable_callbacks",
        "callbacks_max_tries",
        "callbacks_timeout",
        "enable_additional_files",
        "max_queue_size",
        "cpu_time_limit",
        "max_cpu_time_limit",
        "cpu_extra_time",
        "max_cpu_extra_time",
        "wall_time_limit",
        "max_wall_time_limit",
        "memory_limit",
        "max_memory_limit",
        "stack_limit",
        "max_stack_limit",
        "max_processes_and_or_threads",
        "max_max_processes_and_or_threads",
        "enable_per_process_and_thread_time_limit",
        "allow_enable_per_process_and_thread_time_limit",
        "enable_per_process_and_thread_memory_limit",
        "allow_enable_per_process_and_thread_memory_limit",
        "max_file_size",
        "max_max_file_size",
        "number_of_runs",
        "max_number_of_runs",
        "redirect_stderr_to_stdout",
        "max_extract_size",
        "enable_batched_submissions",
        "max_submission_batch_size",
        "submission_cache_duration",
        "use_docs_as_homepage",
        "allow_enable_network",
        "enable_network",
    ] {
        assert!(!config[field].is_null(), "config_info.{field}");
    }
    assert_eq!(
        config["max_wall_time_limit"], 10.0,
        "the server's maximum, not Judge0's"
    );
    let statuses = get(&app, &key, "/statuses").await;
    assert_eq!(statuses.as_array().unwrap().len(), 14);
    assert_eq!(
        statuses[10],
        json!({"id": 11, "description": "Runtime Error (NZEC)"})
    );
    let language = get(&app, &key, "/languages/71").await;
    assert_eq!(language["source_file"], "script.py");
    assert_eq!(
        judge0(&app, &key, reqwest::Method::GET, "/languages/50", None)
            .await
            .status(),
        404
    );
    assert_eq!(get(&app, &key, "/workers").await[0]["queue"], "default");
    assert!(get(&app, &key, "/system_info").await["CPU(s)"].is_string());
}

#[tokio::test]
async fn a_batch_of_test_cases_gives_accepted_and_wrong_answer_by_alias_ids() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let code = b64(b"print(int(input())*2)");
    let batch = json!({"submissions": [
        // 33 is what the SDK sends for `judge0.PYTHON` against "1.14.0-extra"; ids may be strings.
        {"source_code": code, "language_id": 33, "stdin": b64(b"1"), "expected_output": b64(b"2  \n\n")},
        {"source_code": code, "language_id": "113", "stdin": b64(b"2"), "expected_output": b64(b"5")},
        {"source_code": code, "language_id": 71, "stdin": b64(b"3"), "memory_limit": 128000.0},
    ]});
    let response = judge0(
        &app,
        &key,
        reqwest::Method::POST,
        "/submissions/batch?base64_encoded=true",
        Some(batch),
    )
    .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let tokens: Vec<&str> = created
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["token"].as_str().unwrap())
        .collect();
    let done = poll_batch(&app, &key, &tokens).await;
    let statuses: Vec<&str> = done
        .iter()
        .map(|s| s["status"]["description"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["Accepted", "Wrong Answer", "Accepted"]);
    assert_eq!(unb64(&done[1]["stdout"]), b"4\n");
    let sdk_fields = [
        "source_code",
        "language_id",
        "stdin",
        "expected_output",
        "stdout",
        "status_id",
        "created_at",
        "finished_at",
        "time",
        "memory",
        "stderr",
        "token",
        "number_of_runs",
        "cpu_time_limit",
        "cpu_extra_time",
        "wall_time_limit",
        "memory_limit",
        "stack_limit",
        "max_processes_and_or_threads",
        "enable_per_process_and_thread_time_limit",
        "enable_per_process_and_thread_memory_limit",
        "max_file_size",
        "compile_output",
        "exit_code",
        "exit_signal",
        "message",
        "wall_time",
        "compiler_options",
        "command_line_arguments",
        "redirect_stderr_to_stdout",
        "callback_url",
        "additional_files",
        "enable_network",
        "status",
        "language",
    ];
    for submission in &done {
        for field in submission.as_object().unwrap().keys() {
            assert!(
                sdk_fields.contains(&field.as_str()),
                "the SDK knows {field}"
            );
        }
        assert_judge0_date(&submission["created_at"]);
        assert_judge0_date(&submission["finished_at"]);
        assert_eq!(unb64(&submission["source_code"]), b"print(int(input())*2)");
        assert!(
            submission["wall_time"]
                .as_str()
                .unwrap()
                .parse::<f64>()
                .is_ok()
        );
    }
    assert_eq!(
        done[2]["memory_limit"],
        125 * 1024,
        "128000 KB rounds up to 125 MiB"
    );
}

#[tokio::test]
async fn time_limits_and_runtime_errors_get_judge0_statuses_and_exit_codes() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let fields = "&fields=status,exit_code,exit_signal,message,stderr,time,wall_time_limit";
    let looping = run(&app, &key, fields, json!({"source_code": "while True: pass", "language_id": 71, "cpu_time_limit": 1, "cpu_extra_time": 0.5})).await;
    assert_eq!(looping["status"]["description"], "Time Limit Exceeded");
    assert_eq!(looping["message"], "Time limit exceeded");
    assert_eq!(looping["wall_time_limit"], "1.5");
    let exit = run(
        &app,
        &key,
        fields,
        json!({"source_code": "import sys; sys.exit(3)", "language_id": 71}),
    )
    .await;
    assert_eq!(
        exit["status"],
        json!({"id": 11, "description": "Runtime Error (NZEC)"})
    );
    assert_eq!(exit["exit_code"], 3);
    assert_eq!(exit["message"], "Exited with error status 3");
    let raised = run(
        &app,
        &key,
        fields,
        json!({"source_code": "raise ValueError('no')", "language_id": 71}),
    )
    .await;
    assert_eq!(raised["status"]["id"], 11);
    assert_eq!(raised["exit_code"], 1);
    assert!(
        raised["stderr"]
            .as_str()
            .unwrap()
            .contains("ValueError: no")
    );
    let segv = run(&app, &key, fields, json!({"source_code": "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", "language_id": 71})).await;
    assert_eq!(
        segv["status"],
        json!({"id": 7, "description": "Runtime Error (SIGSEGV)"})
    );
    assert_eq!(segv["exit_signal"], 11);
    assert_eq!(
        segv["exit_code"], 0,
        "Judge0 reports 0 when a signal ended the run"
    );
}

#[tokio::test]
async fn base64_round_trips_output_that_is_not_utf8() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let code = "import sys\nsys.stdout.buffer.write(sys.stdin.read().encode() + b' \\xff\\xfe\\n')";
    let done = run(&app, &key, "&base64_encoded=true", json!({"source_code": b64(code.as_bytes()), "stdin": b64("café ☕".as_bytes()), "language_id": 71})).await;
    assert_eq!(done["status"]["id"], 3);
    // Output is kept as UTF-8 text: bytes that are not UTF-8 arrive as U+FFFD.
    assert_eq!(
        String::from_utf8(unb64(&done["stdout"])).unwrap(),
        "café ☕ \u{FFFD}\u{FFFD}\n"
    );
    // A program that is not UTF-8 is refused in Judge0's shape.
    let response = judge0(
        &app,
        &key,
        reqwest::Method::POST,
        "/submissions?base64_encoded=true",
        Some(json!({"source_code": b64(b"print('\xff')"), "language_id": 71})),
    )
    .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["source_code"][0].as_str().unwrap().contains("UTF-8"),
        "{body}"
    );
}

#[tokio::test]
async fn other_languages_and_bad_requests_get_judge0s_error_shapes() {
    let app = spawn_app().await;
    let (_, key) = api_key(&app, "alice").await;
    let response = judge0(
        &app,
        &key,
        reqwest::Method::POST,
        "/submissions",
        Some(json!({"source_code": "x", "language_id": 50})),
    )
    .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["language_id"][0]
            .as_str()
            .unwrap()
            .starts_with("language with id 50 doesn't exist"),
        "{body}"
    );
    let response = judge0(
        &app,
        &key,
        reqwest::Method::POST,
        "/submissions",
        Some(json!({"language_id": 71, "enable_network": "true", "command_line_arguments": "a b"})),
    )
    .await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "source_code": ["can't be blank"], "enable_network": ["enabling network is not allowed"],
            "command_line_arguments": ["setting command line arguments is not allowed"],
        })
    );
    let response = judge0(
        &app,
        &key,
        reqwest::Method::GET,
        "/submissions/batch?tokens=x&fields=stdout,foo,bar",
        None,
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"error": "invalid fields: [foo, bar]"})
    );
    let many =
        json!({"submissions": vec![json!({"source_code": "print(1)", "language_id": 71}); 21]});
    let response = judge0(
        &app,
        &key,
        reqwest::Method::POST,
        "/submissions/batch",
        Some(many),
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "number of submissions in a batch should be less than or equal to 20"
    );
    let mixed = json!({"submissions": [{"source_code": "print(1)", "language_id": 71}, {"source_code": "print(1)", "language_id": 62}]});
    let response = judge0(
        &app,
        &key,
        reqwest::Method::POST,
        "/submissions/batch",
        Some(mixed),
    )
    .await;
    assert_eq!(response.status(), 201, "one item was queued");
    let items: Value = response.json().await.unwrap();
    assert!(items[0]["token"].is_string());
    assert!(items[1]["language_id"].is_array());
}

#[tokio::test]
async fn missing_or_wrong_keys_get_401_in_judge0s_shape() {
    let app = spawn_app().await;
    let (access_token, key) = api_key(&app, "alice").await;
    let anonymous = app
        .client
        .get(app.url("/judge0/languages"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.json::<Value>().await.unwrap()["error"].is_string());
    let wrong = judge0(
        &app,
        &format!("{key}x"),
        reqwest::Method::GET,
        "/languages",
        None,
    )
    .await;
    assert_eq!(wrong.status(), 401);
    assert!(wrong.json::<Value>().await.unwrap()["error"].is_string());
    let bearer = app
        .client
        .get(app.url("/judge0/languages"))
        .bearer_auth(&access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 200, "an access token as Bearer");
    let bearer_key = app
        .client
        .get(app.url("/judge0/statuses"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(bearer_key.status(), 200, "an API key as Bearer");
    let in_query = app
        .client
        .get(app.url(&format!("/judge0/about?X-Auth-Token={key}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        in_query.status(),
        200,
        "the token as a query parameter, as Judge0 allows"
    );
}

#[tokio::test]
async fn submissions_are_the_key_owners_executions() {
    let app = spawn_app().await;
    let (access_token, key) = api_key(&app, "alice").await;
    let (_, other_key) = api_key(&app, "bob").await;
    let done = run(
        &app,
        &key,
        "&fields=token,status",
        json!({"source_code": "print('mine')", "language_id": 71, "expected_output": "mine"}),
    )
    .await;
    let token = done["token"].as_str().unwrap();
    let id = token.split('.').next().unwrap();
    let history = app
        .get(&access_token, "/api/v1/executions")
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(history["items"][0]["id"], id);
    let execution = app
        .get(&access_token, &format!("/api/v1/executions/{id}"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(execution["stdout"], "mine\n");
    let again = get(&app, &key, &format!("/submissions/{token}")).await;
    assert_eq!(
        again["status"]["description"], "Accepted",
        "the verdict holds on a later GET"
    );
    let response = judge0(
        &app,
        &other_key,
        reqwest::Method::GET,
        &format!("/submissions/{token}"),
        None,
    )
    .await;
    assert_eq!(response.status(), 404);
    let batch = get(
        &app,
        &other_key,
        &format!("/submissions/batch?tokens={token}"),
    )
    .await;
    assert_eq!(batch, json!({"submissions": [null]}));
}

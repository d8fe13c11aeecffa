//! Test cases with verdicts, and batches, through the real API with real sandboxes.

use serde_json::{Value, json};

use crate::{
    helpers::{Options, assert_error, spawn_app, spawn_app_with},
    websocket::{connect, send, until_finished},
};

const DOUBLE: &str = "print(int(input()) * 2)";

#[tokio::test]
async fn each_test_gets_a_verdict_and_the_execution_a_summary() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let code = "import sys, time\n\
                n = int(input())\n\
                if n == 3: sys.exit(4)\n\
                if n == 4:\n    while True: pass\n\
                if n == 5: x = bytearray(300 * 1024 * 1024)\n\
                print(n * 2, end='  \\r\\n\\n')";
    let done = app
        .run(
            &token,
            json!({"code": code, "limits": {"time_limit_ms": 1500, "memory_limit_mib": 64}, "tests": [
                {"name": "one", "stdin": "1", "expected_output": "2"},
                {"stdin": "2", "expected_output": "5\n"},
                {"stdin": "3", "expected_output": "6"},
                {"stdin": "4", "expected_output": "8"},
                {"stdin": "5", "expected_output": "10"},
            ]}),
        )
        .await;
    let tests = done["tests"].as_array().unwrap();
    let verdicts: Vec<&str> = tests
        .iter()
        .map(|t| t["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        [
            "accepted",
            "wrong_answer",
            "runtime_error",
            "time_limit_exceeded",
            "memory_limit_exceeded"
        ],
        "{done}"
    );
    assert_eq!(tests[0]["name"], "one");
    assert_eq!(tests[1]["name"], "test 2");
    assert_eq!(tests[1]["stdout"], "4  \r\n\n");
    assert_eq!(tests[2]["exit_code"], 4);
    assert!(tests[0]["time_ms"].as_u64().is_some());
    assert!(tests[0]["peak_memory_kib"].as_u64().unwrap() > 0);
    // The first test that was not accepted decides the summary.
    assert_eq!(done["verdict"], "wrong_answer");
    assert_eq!(done["status"], "failed");
    assert_eq!(done["message"], "1 of 5 tests passed");
    // The CPU time of every run counts.
    let cpu: u64 = tests
        .iter()
        .map(|t| t["cpu_time_ms"].as_u64().unwrap())
        .sum();
    assert_eq!(done["cpu_time_ms"].as_u64().unwrap(), cpu);
    assert!(
        tests[3]["cpu_time_ms"].as_u64().unwrap() > 100,
        "the busy loop ran"
    );
    // The cases are kept with the execution (the web app restores them from history).
    assert_eq!(done["test_cases"].as_array().unwrap().len(), 5);
    assert_eq!(done["test_cases"][0]["name"], "one");
    assert_eq!(done["compare"], "ignore_trailing_whitespace");
}

#[tokio::test]
async fn all_accepted_is_accepted_and_exact_comparison_sees_whitespace() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let tests =
        json!([{"stdin": "1", "expected_output": "2"}, {"stdin": "21", "expected_output": "42\n"}]);
    let done = app
        .run(&token, json!({"code": DOUBLE, "tests": tests}))
        .await;
    assert_eq!(done["verdict"], "accepted", "{done}");
    assert_eq!(done["status"], "succeeded");
    let exact = app
        .run(
            &token,
            json!({"code": DOUBLE, "tests": tests, "compare": "exact"}),
        )
        .await;
    let verdicts: Vec<&str> = exact["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["wrong_answer", "accepted"]);
}

#[tokio::test]
async fn output_beyond_the_limit_is_its_own_verdict_and_kept_output_is_capped() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let code = "import sys\nn = int(input())\nsys.stdout.write('x' * n)";
    let done = app
        .run(
            &token,
            json!({"code": code, "limits": {"output_limit_kib": 64}, "tests": [
                {"stdin": "40000", "expected_output": "x"},
                {"stdin": "200000", "expected_output": "x"},
            ]}),
        )
        .await;
    let first = &done["tests"][0];
    assert_eq!(first["verdict"], "wrong_answer");
    assert_eq!(first["stdout"].as_str().unwrap().len(), 16 * 1024);
    assert_eq!(first["stdout_truncated"], true);
    assert_eq!(done["tests"][1]["verdict"], "output_limit_exceeded");
}

#[tokio::test]
async fn bad_tests_are_refused_with_the_reason() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let one = json!({"stdin": "", "expected_output": ""});
    let cases = [
        (json!({"code": DOUBLE, "tests": []}), "must not be empty"),
        (
            json!({"code": DOUBLE, "tests": vec![one.clone(); 65]}),
            "at most 64",
        ),
        (
            json!({"code": DOUBLE, "stdin": "1", "tests": [one.clone()]}),
            "own stdin",
        ),
        (json!({"code": DOUBLE, "compare": "exact"}), "give tests"),
        (
            json!({"code": DOUBLE, "tests": [{"stdin": "x".repeat(1024 * 1024 + 1), "expected_output": ""}]}),
            "tests[0].stdin must be at most 1024 KiB",
        ),
        (
            json!({"code": DOUBLE, "tests": [{"name": "n".repeat(101), "stdin": "", "expected_output": ""}]}),
            "name must be at most 100",
        ),
    ];
    for (body, words) in cases {
        let response = app.post(&token, "/api/v1/executions", body).await;
        let message = assert_error(response, 422, "validation_failed").await;
        assert!(message.contains(words), "{message:?} should say {words:?}");
    }
    let response = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": DOUBLE, "tests": [{"stdin": "1"}]}),
        )
        .await;
    assert_eq!(response.status(), 422, "expected_output is required");
}

#[tokio::test]
async fn tests_reserve_one_time_limit_each_against_the_cpu_quota() {
    let mut options = Options::default();
    options.config.rate_limits.cpu_seconds_per_user_per_day = Some(3);
    // No workers: the reservation alone decides.
    options.workers = 0;
    let app = spawn_app_with(options).await;
    let token = app.register("alice").await;
    let test = json!({"stdin": "1", "expected_output": "2"});
    // Three runs of one second each reserve the whole quota of three seconds…
    let response = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": DOUBLE, "limits": {"time_limit_ms": 1000}, "tests": vec![test; 3]}),
        )
        .await;
    assert_eq!(response.status(), 202);
    // …so not even one more second fits.
    let response = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": DOUBLE, "limits": {"time_limit_ms": 1000}}),
        )
        .await;
    let message = assert_error(response, 429, "cpu_quota_exceeded").await;
    assert!(message.contains("3.0 s reserved"), "{message}");
}

#[tokio::test]
async fn each_test_result_is_a_live_event() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let mut socket = connect(&app, &token).await;
    let response = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": DOUBLE, "tests": [
                {"stdin": "1", "expected_output": "2"}, {"stdin": "2", "expected_output": "3"}]}),
        )
        .await;
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    send(&mut socket, json!({"type": "subscribe", "job_id": id})).await;
    let events = until_finished(&mut socket).await;
    let tests: Vec<&Value> = events.iter().filter(|e| e["type"] == "test").collect();
    assert_eq!(tests.len(), 2, "{events:?}");
    assert_eq!(tests[0]["index"], 0);
    assert_eq!(tests[0]["result"]["verdict"], "accepted");
    assert_eq!(tests[1]["index"], 1);
    assert_eq!(tests[1]["result"]["verdict"], "wrong_answer");
    assert_eq!(tests[1]["result"]["stdout"], "4\n");
    let finished = events.last().unwrap();
    assert_eq!(finished["execution"]["verdict"], "wrong_answer");
}

#[tokio::test]
async fn a_batch_is_queued_in_order_and_answers_its_ids() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let items: Vec<Value> = (0..3)
        .map(|n| json!({"code": format!("print({n})")}))
        .collect();
    let response = app
        .post(
            &token,
            "/api/v1/executions/batch",
            json!({"executions": items}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let body: Value = response.json().await.unwrap();
    let ids = body["ids"].as_array().unwrap();
    assert_eq!(ids.len(), 3);
    let mut created = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let done = app.wait_terminal(&token, id.as_str().unwrap()).await;
        assert_eq!(done["stdout"], format!("{n}\n"));
        created.push(done["created_at"].as_str().unwrap().to_owned());
    }
    // Queued in the order given: the history lists them newest first.
    let page: Value = app
        .get(&token, "/api/v1/executions?limit=3")
        .await
        .json()
        .await
        .unwrap();
    let listed: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = ids.iter().rev().map(|id| id.as_str().unwrap()).collect();
    assert_eq!(listed, expected);
}

#[tokio::test]
async fn a_batch_with_one_bad_item_queues_nothing() {
    let options = Options {
        workers: 0,
        ..Options::default()
    };
    let app = spawn_app_with(options).await;
    let token = app.register("alice").await;
    let items = json!([
        {"code": "print(1)"},
        {"code": "print(2)", "limits": {"time_limit_ms": 999_999}},
    ]);
    let response = app
        .post(
            &token,
            "/api/v1/executions/batch",
            json!({"executions": items}),
        )
        .await;
    let message = assert_error(response, 422, "validation_failed").await;
    assert!(message.starts_with("executions[1].limits:"), "{message}");
    for body in [
        json!({"executions": []}),
        json!({"executions": vec![json!({"code": "1"}); 21]}),
    ] {
        let response = app.post(&token, "/api/v1/executions/batch", body).await;
        let message = assert_error(response, 422, "validation_failed").await;
        assert!(message.contains("1 to 20"), "{message}");
    }
    assert_eq!(app.store.queue_depth().await.unwrap(), 0, "nothing queued");
}

#[tokio::test]
async fn a_batch_the_queue_cannot_take_whole_is_refused_whole() {
    let mut options = Options {
        workers: 0,
        ..Options::default()
    };
    options.config.queue.max_queued_per_user = 3;
    let app = spawn_app_with(options).await;
    let token = app.register("alice").await;
    let items = vec![json!({"code": "print(1)"}); 4];
    let response = app
        .post(
            &token,
            "/api/v1/executions/batch",
            json!({"executions": items}),
        )
        .await;
    assert_error(response, 429, "too_many_queued_jobs").await;
    assert_eq!(app.store.queue_depth().await.unwrap(), 0, "all or none");
}

#[tokio::test]
async fn a_cancel_stops_the_remaining_tests() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let test = json!({"stdin": "", "expected_output": "done"});
    let response = app
        .post(
            &token,
            "/api/v1/executions",
            json!({"code": "import time\ntime.sleep(0.7)\nprint('done')", "tests": vec![test; 5]}),
        )
        .await;
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.wait_status(&token, &id, "running").await;
    let response = app
        .post(
            &token,
            &format!("/api/v1/executions/{id}/cancel"),
            json!({}),
        )
        .await;
    assert!([200, 202].contains(&response.status().as_u16()));
    let done = app.wait_terminal(&token, &id).await;
    assert_eq!(done["status"], "cancelled", "{done}");
    assert!(done["tests"].as_array().unwrap().len() < 5, "{done}");
    assert_eq!(done["verdict"], Value::Null);
    assert!(
        done["message"]
            .as_str()
            .unwrap()
            .starts_with("cancelled after"),
        "{done}"
    );
}

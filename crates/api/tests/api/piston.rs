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
    // aiopyston lists runtimes at `runtimes/`, with Content-Type and a raw key.
    let runtimes = app
        .client
        .get(app.url("/piston/api/v2/runtimes/"))
        .header("Authorization", &key)
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(runtimes.status(), 200);
    assert_eq!(
        runtimes.json::<Value>().await.unwrap()[0]["language"],
        "python"
    );
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
    let id = history["items"][0]["id"].as_str().unwrap();
    let execution: Value = app
        .get(&access_token, &format!("/api/v1/executions/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(execution["stdout"], "from piston\n");
    assert_eq!(
        execution["limits"]["time_limit_ms"], 3000,
        "Piston's default run_timeout"
    );
}

mod connect {
    use std::time::Duration;

    use futures::{SinkExt, StreamExt};
    use serde_json::{Value, json};
    use tokio_tungstenite::{
        connect_async,
        tungstenite::{Message, client::IntoClientRequest},
    };

    use crate::{
        helpers::{TestApp, spawn_app},
        judge0::api_key,
    };

    type Socket = tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >;

    /// Either a JSON message or the close code that ended the connection.
    #[derive(Debug, PartialEq)]
    enum Received {
        Json(Value),
        Closed(u16),
    }

    async fn open(app: &TestApp, key: &str) -> Socket {
        let url = format!("ws://{}/piston/api/v2/connect", app.address);
        let mut request = url.into_client_request().unwrap();
        request
            .headers_mut()
            .insert("Authorization", key.parse().unwrap());
        connect_async(request)
            .await
            .expect("the WebSocket connects")
            .0
    }

    async fn send(socket: &mut Socket, message: Value) {
        socket
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    }

    async fn next(socket: &mut Socket) -> Received {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(20), socket.next())
                .await
                .expect("a message within 20 s");
            match message.expect("the connection is open").unwrap() {
                Message::Text(text) => return Received::Json(serde_json::from_str(&text).unwrap()),
                Message::Close(frame) => return Received::Closed(frame.unwrap().code.into()),
                _ => {}
            }
        }
    }

    #[tokio::test]
    async fn an_interactive_session_reads_stdin_streams_output_and_exits() {
        let app = spawn_app().await;
        let (access_token, key) = api_key(&app, "alice").await;
        let mut socket = open(&app, &key).await;
        let code = "import sys\nname = input()\nprint('hello', name, flush=True)\nprint('bye', file=sys.stderr)\nsys.exit(4)";
        send(&mut socket, json!({"type": "init", "language": "python", "version": "*", "files": [{"content": code}], "stdin": "ignored\n", "args": [], "run_timeout": 5000, "run_memory_limit": -1})).await;
        let Received::Json(runtime) = next(&mut socket).await else {
            panic!("runtime first")
        };
        assert_eq!(runtime["type"], "runtime");
        assert_eq!(runtime["language"], "python");
        assert_eq!(
            next(&mut socket).await,
            Received::Json(json!({"type": "stage", "stage": "run"}))
        );
        send(
            &mut socket,
            json!({"type": "data", "stream": "stdin", "data": "ada\n"}),
        )
        .await;
        let mut stdout = String::new();
        let mut stderr = String::new();
        let exit = loop {
            match next(&mut socket).await {
                Received::Json(message) if message["type"] == "data" => {
                    let data = message["data"].as_str().unwrap();
                    match message["stream"].as_str().unwrap() {
                        "stdout" => stdout.push_str(data),
                        _ => stderr.push_str(data),
                    }
                }
                Received::Json(message) => break message,
                closed => panic!("closed before exit: {closed:?}"),
            }
        };
        assert_eq!(
            stdout, "hello ada\n",
            "stdin came from `data`, not from init's `stdin`"
        );
        assert_eq!(stderr, "bye\n");
        assert_eq!(
            exit,
            json!({"type": "exit", "stage": "run", "code": 4, "signal": null})
        );
        assert_eq!(next(&mut socket).await, Received::Closed(4999));
        let history: Value = app
            .get(&access_token, "/api/v1/executions")
            .await
            .json()
            .await
            .unwrap();
        let id = history["items"][0]["id"].as_str().unwrap();
        let execution: Value = app
            .get(&access_token, &format!("/api/v1/executions/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(execution["stdout"], "hello ada\n");
    }

    #[tokio::test]
    async fn a_signal_stops_the_program() {
        let app = spawn_app().await;
        let (_, key) = api_key(&app, "alice").await;
        let mut socket = open(&app, &key).await;
        send(&mut socket, json!({"type": "init", "language": "py", "version": "3.x", "files": [{"content": "print('ready', flush=True)\nwhile True: pass"}]})).await;
        loop {
            if let Received::Json(message) = next(&mut socket).await
                && message["type"] == "data"
            {
                assert_eq!(message["data"], "ready\n");
                break;
            }
        }
        send(&mut socket, json!({"type": "signal", "signal": "SIGINT"})).await;
        let Received::Json(exit) = next(&mut socket).await else {
            panic!("exit before close")
        };
        assert_eq!(
            exit,
            json!({"type": "exit", "stage": "run", "code": null, "signal": "SIGKILL"})
        );
        assert_eq!(next(&mut socket).await, Received::Closed(4999));
    }

    #[tokio::test]
    async fn protocol_errors_close_with_pistons_codes() {
        let app = spawn_app().await;
        let (_, key) = api_key(&app, "alice").await;
        // No init within a second.
        let mut socket = open(&app, &key).await;
        assert_eq!(next(&mut socket).await, Received::Closed(4001));
        // Data before init.
        let mut socket = open(&app, &key).await;
        send(
            &mut socket,
            json!({"type": "data", "stream": "stdin", "data": "x"}),
        )
        .await;
        assert_eq!(next(&mut socket).await, Received::Closed(4003));
        // An unknown runtime is notified, then closed.
        let mut socket = open(&app, &key).await;
        send(&mut socket, json!({"type": "init", "language": "ruby", "version": "*", "files": [{"content": "puts 1"}]})).await;
        assert_eq!(
            next(&mut socket).await,
            Received::Json(json!({"type": "error", "message": "ruby-* runtime is unknown"}))
        );
        assert_eq!(next(&mut socket).await, Received::Closed(4002));
        // A second init, writing to stdout, an unknown signal.
        let init = json!({"type": "init", "language": "python", "version": "*", "files": [{"content": "input()"}]});
        for (message, code) in [
            (init.clone(), 4000),
            (
                json!({"type": "data", "stream": "stdout", "data": "x"}),
                4004,
            ),
            (json!({"type": "signal", "signal": "SIGNOPE"}), 4005),
        ] {
            let mut socket = open(&app, &key).await;
            send(&mut socket, init.clone()).await;
            assert!(matches!(next(&mut socket).await, Received::Json(m) if m["type"] == "runtime"));
            send(&mut socket, message).await;
            loop {
                match next(&mut socket).await {
                    Received::Closed(closed) => {
                        assert_eq!(closed, code);
                        break;
                    }
                    Received::Json(m) => assert_eq!(m["type"], "stage"),
                }
            }
        }
        // Without a key: no upgrade.
        let request = format!("ws://{}/piston/api/v2/connect", app.address)
            .into_client_request()
            .unwrap();
        assert!(connect_async(request).await.is_err());
    }
}

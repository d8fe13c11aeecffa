use std::time::Instant;

use code_remote_analyzer::{Analyzer, AnalyzerConfig, Mode, ProviderKind, Source};
use serde_json::{Value, json};

use crate::mock::MockServer;

const CODE: &str =
    "n = int(input())\nfor i in range(n):\n    for j in range(n):\n        print(i, j)\n";

fn answer(time: &str) -> String {
    json!({"time_complexity": time, "space_complexity": "O(1)", "explanation": "two nested loops"})
        .to_string()
}

fn gemini_ok(time: &str) -> Value {
    json!({"candidates": [{"content": {"role": "model", "parts": [{"text": answer(time)}]}}]})
}

fn openai_ok(time: &str) -> Value {
    json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": answer(time)}}]})
}

fn analyzer(server: &MockServer, provider: ProviderKind, key: Option<&str>) -> Analyzer {
    Analyzer::new(AnalyzerConfig {
        llm: Some(server.config(provider, key)),
    })
    .expect("valid configuration")
}

#[tokio::test]
async fn gemini_receives_the_documented_request() {
    let server = MockServer::start(vec![(200, gemini_ok("O(n^2)"))]).await;
    let a = analyzer(&server, ProviderKind::Gemini, Some("secret-key"))
        .analyze(CODE, Mode::Llm)
        .await
        .unwrap();
    assert_eq!(a.time_complexity, "O(n^2)");
    assert_eq!(a.source, Source::Llm);
    assert!(
        a.variables.is_empty(),
        "the static analyzer's size names do not describe the model's answer"
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.path, "/v1beta/models/test-model:generateContent");
    assert_eq!(r.headers["x-goog-api-key"], "secret-key");
    assert!(r.headers.get("authorization").is_none());
    assert_eq!(
        r.body["generationConfig"]["responseMimeType"],
        "application/json"
    );
    let schema = &r.body["generationConfig"]["responseJsonSchema"];
    assert_eq!(schema["type"], "object");
    assert_eq!(
        schema["required"],
        json!(["time_complexity", "space_complexity", "explanation"])
    );
    assert_eq!(r.body["contents"][0]["parts"][0]["text"], CODE);
}

#[tokio::test]
async fn openai_compatible_servers_receive_a_json_schema_response_format() {
    let server = MockServer::start(vec![(200, openai_ok("O(N^2)"))]).await;
    let a = analyzer(&server, ProviderKind::OpenAi, Some("sk-test"))
        .analyze(CODE, Mode::Llm)
        .await
        .unwrap();
    assert_eq!(a.time_complexity, "O(n^2)", "model spelling is normalised");
    let r = &server.requests()[0];
    assert_eq!(r.path, "/v1/chat/completions");
    assert_eq!(r.headers["authorization"], "Bearer sk-test");
    assert_eq!(r.body["model"], "test-model");
    assert_eq!(r.body["response_format"]["type"], "json_schema");
    assert_eq!(
        r.body["response_format"]["json_schema"]["name"],
        "complexity_analysis"
    );
    assert_eq!(
        r.body["response_format"]["json_schema"]["schema"]["type"],
        "object"
    );
    assert_eq!(r.body["messages"][1]["content"], CODE);
}

#[tokio::test]
async fn openai_compatible_servers_need_no_key() {
    let server = MockServer::start(vec![(200, openai_ok("O(n^2)"))]).await;
    analyzer(&server, ProviderKind::OpenAi, None)
        .analyze(CODE, Mode::Llm)
        .await
        .unwrap();
    assert!(server.requests()[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn gemini_429_is_retried_after_the_delay_in_its_retry_info() {
    let throttled = json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "quota",
        "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0.3s"}]}});
    let server = MockServer::start(vec![(429, throttled), (200, gemini_ok("O(n^2)"))]).await;
    let started = Instant::now();
    let a = analyzer(&server, ProviderKind::Gemini, Some("k"))
        .analyze(CODE, Mode::Llm)
        .await
        .unwrap();
    assert_eq!(a.source, Source::Llm);
    assert_eq!(server.requests().len(), 2);
    assert!(
        started.elapsed().as_millis() >= 300,
        "waited for RetryInfo.retryDelay"
    );
}

#[tokio::test]
async fn server_errors_fall_back_to_the_static_answer_with_a_note() {
    let server =
        MockServer::start(vec![(500, json!({})), (503, json!({})), (500, json!({}))]).await;
    let a = analyzer(&server, ProviderKind::OpenAi, None)
        .analyze(CODE, Mode::Llm)
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 3, "one attempt and two retries");
    assert_eq!(a.source, Source::Static);
    assert_eq!(a.time_complexity, "O(n^2)");
    assert!(
        a.notes.iter().any(|n| n.contains("HTTP 500")),
        "{:?}",
        a.notes
    );
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start(vec![(400, json!({"error": {"message": "bad model"}}))]).await;
    let a = analyzer(&server, ProviderKind::Gemini, Some("k"))
        .analyze(CODE, Mode::Llm)
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 1);
    assert!(
        a.notes.iter().any(|n| n.contains("bad model")),
        "{:?}",
        a.notes
    );
}

#[tokio::test]
async fn invalid_replies_fall_back_to_the_static_answer() {
    let server = MockServer::start(vec![(200, openai_ok("very fast"))]).await;
    let a = analyzer(&server, ProviderKind::OpenAi, None)
        .analyze(CODE, Mode::Llm)
        .await
        .unwrap();
    assert_eq!(a.source, Source::Static);
    assert!(
        a.notes.iter().any(|n| n.contains("unrecognised")),
        "{:?}",
        a.notes
    );
}

#[tokio::test]
async fn auto_mode_keeps_the_static_answer_and_flags_disagreement() {
    let server = MockServer::start(vec![(200, gemini_ok("O(n)"))]).await;
    let a = analyzer(&server, ProviderKind::Gemini, Some("k"))
        .analyze(CODE, Mode::Auto)
        .await
        .unwrap();
    assert_eq!(a.time_complexity, "O(n^2)");
    assert_eq!(a.source, Source::Combined);
    let d = a.disagreement.expect("disagreement flagged");
    assert!(d.contains("O(n^2)") && d.contains("O(n)"), "{d}");
}

#[tokio::test]
async fn without_a_model_llm_mode_answers_statically_and_says_so() {
    let a = Analyzer::new(AnalyzerConfig::default())
        .unwrap()
        .analyze(CODE, Mode::Llm)
        .await
        .unwrap();
    assert_eq!(a.source, Source::Static);
    assert!(a.notes.iter().any(|n| n.contains("no model is configured")));
}

#[test]
fn gemini_without_a_key_is_a_configuration_error() {
    let config = AnalyzerConfig {
        llm: Some(code_remote_analyzer::LlmConfig {
            provider: ProviderKind::Gemini,
            base_url: "https://example.invalid".into(),
            model: "m".into(),
            api_key: None,
            timeout: std::time::Duration::from_secs(1),
            max_retries: 0,
            backoff_base: std::time::Duration::from_millis(1),
        }),
    };
    assert!(matches!(
        Analyzer::new(config),
        Err(code_remote_analyzer::Error::MissingApiKey { .. })
    ));
}

#[test]
fn the_api_key_never_shows_in_debug_output() {
    let config = code_remote_analyzer::LlmConfig {
        provider: ProviderKind::Gemini,
        base_url: "https://example.invalid".into(),
        model: "m".into(),
        api_key: Some(secrecy::SecretString::from("super-secret-value")),
        timeout: std::time::Duration::from_secs(1),
        max_retries: 0,
        backoff_base: std::time::Duration::from_millis(1),
    };
    assert!(!format!("{config:?}").contains("super-secret-value"));
}

//! Trace export: a real `code-remote serve` with `--otlp-endpoint` sends its request and job
//! spans to an OTLP/HTTP collector — here a stand-in that decodes the protobuf bodies the way a
//! collector does.

mod support;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, body::Bytes, extract::State, routing::post};
use opentelemetry_proto::tonic::{
    collector::trace::v1::{ExportTraceServiceRequest, ExportTraceServiceResponse},
    common::v1::{AnyValue, KeyValue, any_value::Value as Scalar},
};
use prost::Message;

type Received = Arc<Mutex<Vec<ExportTraceServiceRequest>>>;

/// Accepts `POST /v1/traces` as a collector does and keeps what it decoded.
async fn collector() -> (SocketAddr, Received) {
    async fn traces(State(received): State<Received>, body: Bytes) -> Vec<u8> {
        let request = ExportTraceServiceRequest::decode(body).expect("an OTLP protobuf body");
        received.lock().unwrap().push(request);
        ExportTraceServiceResponse::default().encode_to_vec()
    }
    let received = Received::default();
    let app = Router::new()
        .route("/v1/traces", post(traces))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (address, received)
}

fn text(value: Option<&AnyValue>) -> Option<&str> {
    match value?.value.as_ref()? {
        Scalar::StringValue(text) => Some(text),
        _ => None,
    }
}

fn attribute<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|attribute| attribute.key == key)
        .and_then(|attribute| text(attribute.value.as_ref()))
}

#[tokio::test]
async fn request_and_job_spans_reach_the_collector() {
    let (address, received) = collector().await;
    let data = tempfile::tempdir().unwrap();
    let endpoint = format!("http://{address}");
    let mut node = support::start(&[
        "serve",
        "--data-dir",
        data.path().to_str().unwrap(),
        "--workers",
        "1",
        "--otlp-endpoint",
        &endpoint,
    ])
    .await;
    let client = reqwest::Client::new();
    let token = support::register(&client, &node, "tracer").await;
    let job = support::submit(&client, &node, &token, "print('traced')").await;
    support::wait_finished(&client, &node, &token, &job).await;

    // A clean stop flushes the batch of spans still waiting.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(node.child.id().unwrap() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), node.child.wait())
        .await
        .expect("the server stops within 30 s")
        .unwrap();
    assert!(status.success(), "the server stopped cleanly: {status}");

    let received = received.lock().unwrap();
    assert!(!received.is_empty(), "the collector received no export");
    let mut requests = Vec::new();
    let mut jobs = Vec::new();
    for export in received.iter() {
        for resource_spans in &export.resource_spans {
            let resource = resource_spans.resource.as_ref().expect("a resource");
            assert_eq!(
                attribute(&resource.attributes, "service.name"),
                Some("code-remote")
            );
            assert_eq!(
                attribute(&resource.attributes, "code_remote.role"),
                Some("serve")
            );
            for scope in &resource_spans.scope_spans {
                for span in &scope.spans {
                    match span.name.as_str() {
                        "request" => requests.push(span.clone()),
                        "job" => jobs.push(span.clone()),
                        _ => {}
                    }
                }
            }
        }
    }
    let submission = requests
        .iter()
        .find(|span| {
            attribute(&span.attributes, "path") == Some("/api/v1/executions")
                && attribute(&span.attributes, "method") == Some("POST")
        })
        .expect("the submission's request span was exported");
    let request_id = attribute(&submission.attributes, "request_id").unwrap();
    assert_eq!(request_id.len(), 36, "a request id: {request_id}");
    assert!(
        jobs.iter()
            .any(|span| attribute(&span.attributes, "job") == Some(job.as_str())),
        "the job's span was exported ({} job spans)",
        jobs.len()
    );
}

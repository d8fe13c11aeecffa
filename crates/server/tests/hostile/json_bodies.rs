//! Oversized, deeply nested and malformed JSON on every route that takes a body: a clear 4xx
//! with our error shape, never a 5xx, a crash or memory that stays.

use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::helpers::{Server, assert_still_served, client, register};

/// Every (method, path) of the OpenAPI document whose operation takes a request body, with
/// path parameters filled in.
async fn routes_with_bodies(http: &reqwest::Client, server: &Server) -> Vec<(String, String)> {
    let document: Value = http
        .get(server.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut routes = Vec::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            if operation.get("requestBody").is_some() {
                let filled = path
                    .split('/')
                    .map(|part| {
                        if part.starts_with('{') {
                            "01938a3e-0000-7000-8000-000000000001"
                        } else {
                            part
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("/");
                routes.push((method.to_uppercase(), format!("/api/v1{filled}")));
            }
        }
    }
    routes
}

/// Sends one request on its own connection with `Expect: 100-continue`, so a server that
/// answers (413, 403) before reading the body can say so before it is sent; a client that writes
/// a large body first would see a reset instead of the answer.
async fn raw_request(
    server: &Server,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.address).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\
         Connection: close\r\n\r\n",
        server.address,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = stream.read(&mut buffer).await.unwrap_or(0);
        if read == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..read]);
        if answer.starts_with(b"HTTP/1.1 100")
            && let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n")
        {
            answer.drain(..end + 4);
            // The server may still refuse part-way (a body limit); its answer follows.
            let _ = stream.write_all(body.as_bytes()).await;
        }
    }
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("{method} {path}: no HTTP answer: {answer:.200}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn deeply_nested(depth: usize) -> String {
    let mut body = "[".repeat(depth);
    body.push_str(&"]".repeat(depth));
    body
}

fn nested_objects(depth: usize) -> String {
    let mut body = r#"{"a":"#.repeat(depth);
    body.push('1');
    body.push_str(&"}".repeat(depth));
    body
}

#[tokio::test]
async fn hostile_bodies_get_a_clear_4xx_on_every_route() {
    let server = Server::start(&[]).await;
    let http = client();
    let token = register(&http, &server, "prober").await;
    let routes = routes_with_bodies(&http, &server).await;
    assert!(
        routes.len() >= 5,
        "the document lists the body-taking routes: {routes:?}"
    );
    let oversized = format!(r#"{{"code": "{}"}}"#, "x".repeat(8 * 1024 * 1024));
    let bodies: [(&str, String); 5] = [
        ("8 MiB", oversized),
        ("200,000 nested arrays", deeply_nested(200_000)),
        ("50,000 nested objects", nested_objects(50_000)),
        ("not JSON", "{\"code\": \"print(1)\"".to_owned()),
        (
            "wrong types",
            r#"{"code": 1, "username": [], "password": {}}"#.to_owned(),
        ),
    ];
    let memory = server.watch_memory();
    let mut tried = 0;
    for (method, path) in &routes {
        for (what, body) in &bodies {
            let (status, text) = raw_request(&server, method, path, &token, body).await;
            assert!(
                (400..500).contains(&status),
                "{method} {path} with {what}: {status} {text:.200}"
            );
            let error: Value = serde_json::from_str(&text).unwrap_or_else(|_| {
                panic!("{method} {path} with {what}: not our error body: {text:.200}")
            });
            assert!(
                error["error"]["code"].is_string() && error["error"]["message"].is_string(),
                "{method} {path} with {what}: {text:.200}"
            );
            tried += 1;
        }
    }
    eprintln!(
        "hostile bodies: {tried} requests on {} routes, all 4xx with our error body",
        routes.len()
    );
    memory.assert_growth_below("hostile bodies", 48).await;
    assert_still_served(&http, &server, &token).await;
}

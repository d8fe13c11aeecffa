//! Scientific Python through the API, and the files a run hands back: listed on the
//! execution, announced over the WebSocket, served to their owner (and admins) only, with
//! types and headers a browser cannot be tricked by.

use code_remote_api::{PythonPackage, PythonRuntime};
use serde_json::{Value, json};

use crate::{
    helpers::{Options, TestApp, installed_python_env, spawn_app, spawn_app_with},
    websocket::{connect, send, until_finished},
};

/// Fails with the fix when the environment is missing: the project's install step provides it.
fn require_python_env() {
    assert!(
        installed_python_env().is_some(),
        "the sandbox's Python environment is not installed: run scripts/install-python-env"
    );
}

const PLOT: &str = "import numpy as np, pandas as pd, matplotlib.pyplot as plt
df = pd.DataFrame({'x': np.arange(5), 'y': np.arange(5) ** 2})
print(df['y'].sum())
df.plot(x='x', y='y')
plt.savefig('/box/out/plot.svg')
df.to_csv('/box/out/table.csv', index=False)
";

/// Width and height from a PNG's IHDR chunk, after checking its signature.
fn png_size(data: &[u8]) -> (u32, u32) {
    assert_eq!(&data[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&data[12..16], b"IHDR");
    let word = |at: usize| u32::from_be_bytes(data[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

async fn fetch(app: &TestApp, token: &str, id: &str, name: &str) -> reqwest::Response {
    app.get(token, &format!("/api/v1/executions/{id}/artifacts/{name}"))
        .await
}

fn names(execution: &Value) -> Vec<&str> {
    execution["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pandas_plot_comes_back_as_png_svg_and_csv_artifacts() {
    require_python_env();
    let app = spawn_app().await;
    let token = app.register("ada").await;
    // Imports of numpy, pandas and matplotlib take a second or two on a busy machine.
    let execution = app
        .run(
            &token,
            json!({ "code": PLOT, "limits": { "time_limit_ms": 10_000 } }),
        )
        .await;
    assert_eq!(execution["status"], "succeeded", "{}", execution["stderr"]);
    assert_eq!(execution["stdout"], "30\n");
    // The figure was still open at exit: our backend saved it as figure-1.png.
    assert_eq!(names(&execution), ["figure-1.png", "plot.svg", "table.csv"]);
    let id = execution["id"].as_str().unwrap();
    let png = &execution["artifacts"][0];
    assert_eq!(png["media_type"], "image/png");

    let response = fetch(&app, &token, id, "figure-1.png").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(png_size(&bytes), (640, 480));
    assert_eq!(png["size_bytes"], bytes.len());
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(png["sha256"], digest);

    // An SVG can carry script: an attachment, in a sandbox, never inline.
    let svg = fetch(&app, &token, id, "plot.svg").await;
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(
        svg.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(
        svg.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let csv = fetch(&app, &token, id, "table.csv").await;
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(csv.text().await.unwrap(), "x,y\n0,0\n1,1\n2,4\n3,9\n4,16\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_artifact_is_not_found_but_an_admin_may_read_it() {
    let app = spawn_app().await;
    let admin = app.register("admin").await; // the first account is the admin
    let owner = app.register("owner").await;
    let other = app.register("other").await;
    let execution = app
        .run(
            &owner,
            json!({ "code": "open('/box/out/secret.txt', 'w').write('mine')" }),
        )
        .await;
    let id = execution["id"].as_str().unwrap();
    assert_eq!(names(&execution), ["secret.txt"]);
    assert_eq!(
        fetch(&app, &owner, id, "secret.txt")
            .await
            .text()
            .await
            .unwrap(),
        "mine"
    );
    let refused = fetch(&app, &other, id, "secret.txt").await;
    assert_eq!(refused.status(), 404);
    let missing = fetch(&app, &other, id, "missing.txt").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        refused.json::<Value>().await.unwrap(),
        missing.json::<Value>().await.unwrap(),
        "another user's artifact looks exactly like a missing one"
    );
    assert_eq!(fetch(&app, &admin, id, "secret.txt").await.status(), 200);
    let anonymous = app
        .client
        .get(app.url(&format!("/api/v1/executions/{id}/artifacts/secret.txt")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_the_collector_cannot_produce_are_not_found() {
    let app = spawn_app().await;
    let token = app.register("ada").await;
    let execution = app
        .run(
            &token,
            json!({ "code": "open('/box/out/a.txt', 'w').write('a')" }),
        )
        .await;
    let id = execution["id"].as_str().unwrap();
    for name in ["..%2Fa.txt", "%2e%2e", ".a.txt", "a%20b.txt", "a.txt%00"] {
        assert_eq!(fetch(&app, &token, id, name).await.status(), 404, "{name}");
    }
    let bogus = fetch(&app, &token, "not-a-job", "a.txt").await;
    assert_eq!(bogus.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_artifact_is_announced_over_the_websocket_before_finished() {
    let app = spawn_app().await;
    let token = app.register("ada").await;
    let mut socket = connect(&app, &token).await;
    let response = app
        .post(
            &token,
            "/api/v1/executions",
            json!({ "code": "for n in 'ab': open('/box/out/%s.txt' % n, 'w').write(n)" }),
        )
        .await;
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    send(&mut socket, json!({ "type": "subscribe", "job_id": id })).await;
    let events = until_finished(&mut socket).await;
    let announced: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "artifact")
        .map(|e| e["artifact"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(announced, ["a.txt", "b.txt"]);
    let finished = events.last().unwrap();
    assert_eq!(names(&finished["execution"]), ["a.txt", "b.txt"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_attacks_on_artifact_collection_give_errors_or_truncation_through_the_api() {
    let app = spawn_app().await;
    let token = app.register("ada").await;
    let code = "import os
os.symlink('/etc/shadow', '/box/out/shadow')
os.link('/box/main.py', '/box/out/hard')
os.mkfifo('/box/out/fifo')
os.symlink('/dev/zero', '/box/out/zero')
for i in range(10000):
    open('/box/out/f%05d' % i, 'w').close()
";
    let started = std::time::Instant::now();
    let execution = app.run(&token, json!({ "code": code })).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(execution["status"], "succeeded", "{}", execution["stderr"]);
    let listed = names(&execution);
    assert_eq!(listed.len(), 16, "at most 16 files");
    assert!(listed.iter().all(|n| n.starts_with('f')), "{listed:?}");
    assert!(
        !execution["artifacts_skipped"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_runtime_lists_the_python_version_packages_and_limits() {
    require_python_env();
    // As `code-remote serve` builds it: from the environment's metadata, once.
    let env = code_remote_sandbox::PythonEnv::inspect(&installed_python_env().unwrap()).unwrap();
    let mut options = Options::default();
    options.config.python = PythonRuntime {
        version: "3.11.2".into(),
        packages: env
            .packages
            .iter()
            .map(|p| PythonPackage {
                name: p.name.clone(),
                version: p.version.clone(),
            })
            .collect(),
    };
    let app = spawn_app_with(options).await;
    let token = app.register("ada").await;
    let response = app.get(&token, "/api/v1/runtime").await;
    assert_eq!(response.status(), 200);
    let runtime: Value = response.json().await.unwrap();
    assert_eq!(runtime["language"], "python");
    assert_eq!(runtime["default_limits"]["time_limit_ms"], 5_000);
    assert_eq!(runtime["max_limits"]["time_limit_ms"], 10_000);
    assert_eq!(runtime["artifacts"]["max_files"], 16);
    assert_eq!(runtime["python_version"], "3.11.2");
    let packages = runtime["packages"].as_array().unwrap();
    for wanted in code_remote_sandbox::REQUIRED_PACKAGES {
        let found = packages
            .iter()
            .find(|p| p["name"].as_str().unwrap().eq_ignore_ascii_case(wanted));
        assert!(
            found.is_some_and(|p| !p["version"].as_str().unwrap().is_empty()),
            "{wanted}"
        );
    }
    let anonymous = app
        .client
        .get(app.url("/api/v1/runtime"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_artifacts_and_the_runtime() {
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
    let artifact = &openapi["paths"]["/executions/{id}/artifacts/{name}"]["get"];
    assert!(
        artifact["responses"]["200"]["content"]["image/png"].is_object(),
        "{artifact}"
    );
    assert!(artifact["responses"]["404"].is_object());
    assert!(openapi["paths"]["/runtime"]["get"]["responses"]["200"].is_object());
    let schemas = &openapi["components"]["schemas"];
    assert!(schemas["Execution"]["properties"]["artifacts"].is_object());
    for field in ["name", "media_type", "size_bytes", "sha256"] {
        assert!(
            schemas["ArtifactInfo"]["properties"][field].is_object(),
            "ArtifactInfo.{field}"
        );
    }
    for field in [
        "python_version",
        "packages",
        "default_limits",
        "max_limits",
        "artifacts",
    ] {
        assert!(
            schemas["Runtime"]["properties"][field].is_object(),
            "Runtime.{field}"
        );
    }
}

//! The command line itself: account creation, bad arguments and configuration errors, and
//! settings taken from flags and the environment by a running server.

use std::{
    io::Write,
    process::{Command, Stdio},
};

fn code_remote() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_code-remote"));
    command.env_clear();
    command
}

fn create_user(data_dir: &std::path::Path, args: &[&str], password: &str) -> std::process::Output {
    let mut child = code_remote()
        .args(["user", "create"])
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(password.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn user_create_makes_an_admin_and_refuses_duplicates_and_weak_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let created = create_user(dir.path(), &["root", "--admin"], "a long enough password\n");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("created admin root"));

    let again = create_user(dir.path(), &["root"], "another long password\n");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already taken"));

    let weak = create_user(dir.path(), &["bob"], "short\n");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 10 characters"));

    let empty = create_user(dir.path(), &["carol"], "");
    assert!(!empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stderr).contains("standard input"));
}

#[test]
fn user_invite_prints_a_single_use_code_the_server_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let invited = code_remote()
        .args(["user", "invite", "--expires-in-hours", "2", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        invited.status.success(),
        "{}",
        String::from_utf8_lossy(&invited.stderr)
    );
    let code = String::from_utf8(invited.stdout).unwrap().trim().to_owned();
    assert!(
        code.starts_with(code_remote_auth::INVITATION_PREFIX),
        "{code}"
    );
    let url = format!("sqlite://{}", dir.path().join("code-remote.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = code_remote_store::Store::connect(&url).await.unwrap();
        let new = |name: &str| code_remote_store::NewUser {
            username: name.into(),
            email: None,
            password_hash: None,
            role: code_remote_core::Role::User,
            oidc: None,
        };
        let hash = code_remote_auth::InvitationCode::hash(&code);
        let first = store.register_user(new("grace"), Some(&hash)).await;
        assert!(first.is_ok(), "{first:?}");
        let again = store.register_user(new("hopper"), Some(&hash)).await;
        assert!(matches!(
            again,
            Err(code_remote_store::Error::InvitationNotValid)
        ));
    });
}

#[test]
fn usernames_differing_only_in_case_are_one_account_on_the_command_line_too() {
    let dir = tempfile::tempdir().unwrap();
    let created = create_user(dir.path(), &["Ada"], "a long enough password\n");
    assert!(created.status.success());
    let again = create_user(dir.path(), &["ada"], "a long enough password\n");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already taken"));
}

#[test]
fn bad_arguments_and_a_bad_config_file_fail_with_a_message() {
    let unknown = code_remote()
        .args(["serve", "--no-such-flag"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--no-such-flag"));

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("code-remote.toml");
    std::fs::write(&config, "listen = [not toml").unwrap();
    let bad = code_remote()
        .args(["serve", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not valid TOML"));

    let worker = code_remote().args(["worker"]).output().unwrap();
    assert!(!worker.status.success());
    assert!(String::from_utf8_lossy(&worker.stderr).contains("--database-url"));
}

#[test]
fn a_bad_trusted_proxy_in_the_environment_stops_the_server_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let bad = code_remote()
        .args([
            "serve",
            "--workers",
            "0",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(dir.path())
        .env("CODE_REMOTE_TRUSTED_PROXIES", "10.0.0.0/8,10.0.0.0/64")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("`10.0.0.0/64` is not an IP address"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A `serve` process, stopped when dropped.
struct Server {
    address: String,
    _child: tokio::process::Child,
    _dir: tempfile::TempDir,
}

/// Starts an API-only `serve` with these arguments and environment.
async fn serve(args: &[&str], env: &[(&str, &str)]) -> Server {
    use tokio::io::AsyncBufReadExt;
    let dir = tempfile::tempdir().unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_code-remote"))
        .args([
            "serve",
            "--workers",
            "0",
            "--listen",
            "127.0.0.1:0",
            "--log",
            "warn",
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(address) = line.split("http://").nth(1) {
            return Server {
                address: address.trim().to_owned(),
                _child: child,
                _dir: dir,
            };
        }
    }
    panic!("the server exited before listening");
}

/// The address the audit log records for a registration forwarded for 203.0.113.7.
async fn recorded_address(address: &str) -> String {
    let client = reqwest::Client::new();
    let response = client
        .post(format!("http://{address}/api/v1/auth/register"))
        .header("x-forwarded-for", "203.0.113.7")
        .json(&serde_json::json!({"username": "admin", "password": "a long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let token = response.json::<serde_json::Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let audit: serde_json::Value = client
        .get(format!("http://{address}/api/v1/admin/audit"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    audit[0]["ip"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn trusted_proxies_come_from_the_flag_or_the_environment() {
    let default = serve(&[], &[]).await;
    assert_eq!(recorded_address(&default.address).await, "127.0.0.1");
    let flag = serve(&["--trusted-proxy", "127.0.0.1"], &[]).await;
    assert_eq!(recorded_address(&flag.address).await, "203.0.113.7");
    let env = [("CODE_REMOTE_TRUSTED_PROXIES", "10.0.0.0/8,127.0.0.0/8")];
    let env = serve(&[], &env).await;
    assert_eq!(recorded_address(&env.address).await, "203.0.113.7");
}

/// The scientific environment `scripts/install-python-env` installs (scripts/test runs it first).
fn require_python_env() {
    let env = std::path::Path::new(code_remote_sandbox::DEFAULT_PYTHON_ENV);
    assert!(
        env.join("STAMP").exists(),
        "the sandbox's Python environment is not installed: run scripts/install-python-env"
    );
}

/// Width and height from a PNG's IHDR chunk, after checking its signature.
fn png_size(data: &[u8]) -> (u32, u32) {
    assert_eq!(&data[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&data[12..16], b"IHDR");
    let word = |at: usize| u32::from_be_bytes(data[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

fn run_file(dir: &std::path::Path, code: &str, extra: &[&str]) -> std::process::Output {
    let file = dir.join("main.py");
    std::fs::write(&file, code).unwrap();
    code_remote()
        .arg("run")
        .arg(&file)
        .args(["--stdin", "/dev/null", "--time-limit", "20"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn run_executes_numpy_pandas_and_matplotlib_and_writes_the_plot() {
    require_python_env();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("artifacts");
    let code = "import numpy as np, pandas as pd, matplotlib.pyplot as plt
s = pd.Series(np.linspace(0, 1, 5))
print(s.sum())
plt.plot(s.index, s.values ** 2)
plt.show()
";
    let output = run_file(
        dir.path(),
        code,
        &["--json", "--artifacts-dir", out.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let execution: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(execution["status"], "succeeded");
    assert_eq!(execution["stdout"], "2.5\n");
    assert_eq!(execution["artifacts"][0]["name"], "figure-1.png");
    assert_eq!(execution["artifacts"][0]["media_type"], "image/png");
    let png = std::fs::read(out.join("figure-1.png")).unwrap();
    assert_eq!(png_size(&png), (640, 480));
    assert_eq!(execution["artifacts"][0]["size_bytes"], png.len());
}

#[test]
fn run_reports_artifacts_it_left_out_and_does_not_follow_links() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("artifacts");
    let code = "import os
open('/box/out/ok.txt', 'w').write('fine')
os.symlink('/etc/shadow', '/box/out/shadow')
";
    let output = run_file(
        dir.path(),
        code,
        &["--artifacts-dir", out.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("artifact ok.txt (4 bytes, text/plain)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("artifact left out: shadow: a symbolic link"),
        "{stderr}"
    );
    let written: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(written, ["ok.txt"]);
}

#[test]
fn runtime_lists_the_python_version_packages_and_limits() {
    require_python_env();
    let output = code_remote()
        .args(["runtime", "--json", "--max-time-limit-secs", "12"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let runtime: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        runtime["python_version"]
            .as_str()
            .unwrap()
            .starts_with("3.")
    );
    assert_eq!(runtime["max_limits"]["time_limit_ms"], 12_000);
    assert_eq!(runtime["artifacts"]["max_total_bytes"], 8 * 1024 * 1024);
    let packages = runtime["packages"].as_array().unwrap();
    for wanted in code_remote_sandbox::REQUIRED_PACKAGES {
        assert!(
            packages
                .iter()
                .any(|p| p["name"].as_str().unwrap().eq_ignore_ascii_case(wanted)),
            "{wanted} is listed"
        );
    }
}

#[test]
fn doctor_reports_the_python_environment_and_a_missing_one_is_refused() {
    require_python_env();
    let doctor = code_remote().arg("doctor").output().unwrap();
    let text = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        text.contains("python env: /usr/local/lib/code-remote/python-"),
        "{text}"
    );
    assert!(text.contains(": complete"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let output = run_file(
        dir.path(),
        "print(1)",
        &["--python-env", "/nonexistent/env"],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/nonexistent/env") && stderr.contains("install-python-env"),
        "{stderr}"
    );
}

#[test]
fn run_reuses_what_it_probed_and_doctor_still_probes_for_real() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = dir.path().join("runtime");
    let runtime_arg = ["--runtime-dir", runtime.to_str().unwrap()];
    let first = run_file(dir.path(), "print(1)", &runtime_arg);
    assert!(first.status.success(), "{first:?}");
    let entry = std::fs::read_to_string(runtime.join("cache/probes")).unwrap();
    assert!(entry.contains("key boot"), "{entry}");
    let second = run_file(dir.path(), "print(2)", &runtime_arg);
    assert_eq!(String::from_utf8_lossy(&second.stdout), "2\n", "{second:?}");

    let doctor = code_remote()
        .arg("doctor")
        .args(runtime_arg)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&doctor.stdout);
    assert!(text.contains("verified by a test run"), "{text}");
    assert!(!text.contains("an earlier one"), "{text}");
}

//! The command line itself: account creation, bad arguments and configuration errors.

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

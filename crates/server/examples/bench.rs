//! Benchmark of issue #13: hello world (`print(1)`) started bare, in a bare bubblewrap sandbox
//! (the floor), and through the real `code-remote serve` and `code-remote run`, measured side by
//! side in one run, with the goals' ratios. Prints figures; fails only on a functional error (a
//! run that fails or prints something other than `1`), never on timing.
//!
//! `cargo build --release -p code-remote --bin code-remote --example bench &&
//!  target/release/examples/bench [--quick] [--binary target/release/code-remote]` (as root, like
//! the server). `--quick` runs a few iterations of each (CI runs it from `scripts/test`).

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, bail, ensure};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

const HELLO: &str = "print(1)";
const EXPECTED: &str = "1\n";
/// Processes started at once for the bare and bwrap rows.
const PARALLEL: usize = 4;
/// Users submitting at once for the throughput row.
const USERS: usize = 8;

struct Sizes {
    /// Processes each of the `PARALLEL` threads starts.
    per_thread: usize,
    /// Sequential runs for the one-at-a-time rows.
    sequential: usize,
    /// `wait=true` runs each of the `USERS` submits.
    per_user: usize,
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn p50(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}

/// Runs `command` and checks that it printed exactly `1`.
fn run_checked(command: &mut Command) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("starting {command:?}"))?;
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    ensure!(
        output.status.success() && stdout == EXPECTED,
        "{command:?} exited with {} and printed {stdout:?} (stderr {:?})",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(elapsed)
}

/// `PARALLEL` threads each starting `per_thread` processes one after the other: runs per second
/// and the p50 of one process's wall time.
fn parallel(make: fn() -> Command, per_thread: usize) -> anyhow::Result<(f64, f64)> {
    let started = Instant::now();
    let threads: Vec<_> = (0..PARALLEL)
        .map(|_| {
            std::thread::spawn(move || {
                (0..per_thread)
                    .map(|_| run_checked(&mut make()))
                    .collect::<anyhow::Result<Vec<_>>>()
            })
        })
        .collect();
    let mut samples = Vec::new();
    for thread in threads {
        samples.extend(thread.join().expect("thread")?);
    }
    let rate = samples.len() as f64 / started.elapsed().as_secs_f64();
    Ok((rate, p50(samples)))
}

fn bare() -> Command {
    let mut command = Command::new("/usr/bin/python3");
    command.args(["-I", "-S", "-c", HELLO]);
    command
}

/// Fresh namespaces (as the sandbox's), a read-only /usr, and the same interpreter.
fn bwrap() -> Command {
    let mut command = Command::new("/usr/bin/bwrap");
    command
        .args(["--unshare-all", "--unshare-user", "--disable-userns"])
        .args(["--die-with-parent", "--ro-bind", "/usr", "/usr"])
        .args([
            "--symlink",
            "usr/lib64",
            "/lib64",
            "--symlink",
            "usr/lib",
            "/lib",
        ])
        .args([
            "--symlink",
            "usr/bin",
            "/bin",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
        ])
        .args(["--", "/usr/bin/python3", "-I", "-S", "-c", HELLO])
        .env_clear();
    command
}

async fn start_server(binary: &str, dir: &str) -> anyhow::Result<(tokio::process::Child, String)> {
    let mut child = tokio::process::Command::new(binary)
        .args(["serve", "--data-dir", dir, "--listen", "127.0.0.1:0"])
        .args(["--log", "warn", "--registrations-per-hour-per-ip", "0"])
        .args(["--ip-requests-per-second", "0"])
        .args(["--user-requests-per-second", "0"])
        .args(["--max-queued-per-user", "100000"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {binary} serve"))?;
    let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
    let address = loop {
        let line = lines
            .next_line()
            .await?
            .context("the server exited before listening")?;
        if let Some(address) = line.split("http://").nth(1) {
            break format!("http://{}", address.trim());
        }
    };
    Ok((child, address))
}

async fn register(client: &reqwest::Client, base: &str, name: &str) -> anyhow::Result<String> {
    let body: Value = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"username": name, "password": "benchmark password"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(body["access_token"]
        .as_str()
        .context("no token")?
        .to_owned())
}

async fn wait_run(client: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let body: Value = client
        .post(format!("{base}/api/v1/executions?wait=true"))
        .bearer_auth(token)
        .json(&json!({"code": HELLO}))
        .send()
        .await?
        .json()
        .await?;
    let elapsed = started.elapsed();
    ensure!(
        body["status"] == "succeeded" && body["stdout"] == EXPECTED,
        "a run through the server: {body}"
    );
    Ok(elapsed)
}

/// (runs/s with `USERS` users at once, p50 of one request at a time)
async fn serve(binary: &str, sizes: &Sizes) -> anyhow::Result<(f64, f64)> {
    let data = tempfile::tempdir()?;
    let (mut child, base) = start_server(binary, data.path().to_str().context("path")?).await?;
    let client = reqwest::Client::new();
    let mut tokens = Vec::new();
    for user in 0..USERS {
        tokens.push(register(&client, &base, &format!("bench{user}")).await?);
    }
    // Warm up: the first runs pay for the store's and the sandbox's first use.
    for token in &tokens {
        wait_run(&client, &base, token).await?;
    }
    let started = Instant::now();
    let tasks: Vec<_> = tokens
        .iter()
        .map(|token| {
            let (client, base, token) = (client.clone(), base.clone(), token.clone());
            let runs = sizes.per_user;
            tokio::spawn(async move {
                for _ in 0..runs {
                    wait_run(&client, &base, &token).await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    let rate = (USERS * sizes.per_user) as f64 / started.elapsed().as_secs_f64();
    let mut one = Vec::new();
    for _ in 0..sizes.sequential {
        one.push(wait_run(&client, &base, &tokens[0]).await?);
    }
    child.kill().await.ok();
    Ok((rate, p50(one)))
}

fn run_file(binary: &str, runs: usize) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("hello.py");
    std::fs::write(&file, HELLO)?;
    let samples = (0..runs)
        .map(|_| run_checked(Command::new(binary).arg("run").arg(&file)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(p50(samples))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut quick, mut binary) = (false, "target/release/code-remote".to_owned());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--binary" => binary = args.next().context("--binary needs a path")?,
            other => bail!("unknown argument {other} (expected --quick, --binary PATH)"),
        }
    }
    let sizes = if quick {
        Sizes {
            per_thread: 3,
            sequential: 3,
            per_user: 2,
        }
    } else {
        Sizes {
            per_thread: 100,
            sequential: 60,
            per_user: 40,
        }
    };
    println!("load average at start: {}", load_average());
    println!("binary: {binary}; hello world `{HELLO}`");

    let bare_one = p50((0..sizes.sequential)
        .map(|_| run_checked(&mut bare()))
        .collect::<anyhow::Result<_>>()?);
    let (bare_rate, bare_each) = parallel(bare, sizes.per_thread)?;
    let (floor_rate, floor_each) = parallel(bwrap, sizes.per_thread)?;
    let (serve_rate, serve_p50) = serve(&binary, &sizes).await?;
    let run_p50 = run_file(&binary, sizes.sequential)?;

    let label = |text: String| format!("{text:<42}");
    println!(
        "{}p50 {bare_one:6.1} ms",
        label("bare python3 -I -S, one at a time".into())
    );
    println!(
        "{}{bare_rate:6.1} runs/s  p50 {bare_each:6.1} ms each",
        label(format!("bare python3 -I -S, {PARALLEL} at a time"))
    );
    println!(
        "{}{floor_rate:6.1} runs/s  p50 {floor_each:6.1} ms each",
        label(format!("bwrap + python3 (floor), {PARALLEL} at a time"))
    );
    println!(
        "{}{serve_rate:6.1} runs/s",
        label(format!("serve, {USERS} users wait=true at once"))
    );
    println!(
        "{}p50 {serve_p50:6.1} ms",
        label("serve, one request at a time".into())
    );
    println!(
        "{}p50 {run_p50:6.1} ms",
        label("code-remote run FILE".into())
    );
    println!("goals:");
    println!(
        "  serve throughput / floor   {:5.2}  (goal >= 1.0; moonshot: serve / bare = {:.2} >= 1.0)",
        serve_rate / floor_rate,
        serve_rate / bare_rate
    );
    println!(
        "  serve p50 / bare start     {:5.2}  (goal <= 1.0)",
        serve_p50 / bare_one
    );
    println!(
        "  run - bare start         {:+6.1} ms (goal <= +15 ms)",
        run_p50 - bare_one
    );
    println!("load average at end: {}", load_average());
    Ok(())
}

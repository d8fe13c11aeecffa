//! Prints the sandbox's overhead per run against the same interpreter started bare
//! (`python3 -I -S -c pass`), and the supervisor's peak memory.
//!
//! cargo run --release -p code-remote-sandbox --example overhead [-- RUNS]
//!
//! Needs root (as the sandbox does). "cold" = prepare + run back to back (what a request pays
//! without a warm pool); "warm" = run only, with the sandbox prepared ahead by hand; "pool" =
//! prepare + run with `SandboxConfig::warm = 1`, requests 100 ms apart. Phases of a cold run are
//! timed separately to show where the time goes.

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use code_remote_sandbox::{Limits, Program, Sandbox, SandboxConfig};

struct Stats {
    mean: Duration,
    p50: Duration,
    p99: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort_unstable();
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    Stats {
        mean,
        p50: pick(0.5),
        p99: pick(0.99),
    }
}

fn ms(d: Duration) -> String {
    format!("{:7.2} ms", d.as_secs_f64() * 1000.0)
}

fn line(name: &str, s: &Stats, base: Option<&Stats>) {
    let ratio = base
        .map(|b| {
            let added = (s.mean.as_secs_f64() - b.mean.as_secs_f64()) * 1000.0;
            let ratio = s.mean.as_secs_f64() / b.mean.as_secs_f64();
            format!("  ratio {ratio:5.2}x  added {added:+7.2} ms")
        })
        .unwrap_or_default();
    println!(
        "{name:<40} mean {}  p50 {}  p99 {}{ratio}",
        ms(s.mean),
        ms(s.p50),
        ms(s.p99)
    );
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let sandbox = match Sandbox::new(SandboxConfig {
        slots: 2,
        ..Default::default()
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("the sandbox cannot start here: {e}");
            std::process::exit(1);
        }
    };
    let python = sandbox.report().interpreter.clone().unwrap_or_default();
    let python = python
        .split(" at ")
        .nth(1)
        .unwrap_or("/usr/bin/python3")
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    println!(
        "{runs} runs each; interpreter {python}; {} CPUs",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let program = || Program {
        code: b"pass".to_vec(),
        limits: Limits::default(),
        ..Default::default()
    };

    let bare: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(&python)
                .args(["-I", "-S", "-c", "pass"])
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            start.elapsed()
        })
        .collect();
    let bare = stats(bare);

    let bwrap_only: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new("/usr/bin/bwrap")
                .args([
                    "--unshare-all",
                    "--unshare-user",
                    "--disable-userns",
                    "--die-with-parent",
                    "--ro-bind",
                    "/usr",
                    "/usr",
                ])
                .args([
                    "--symlink",
                    "usr/lib64",
                    "/lib64",
                    "--symlink",
                    "usr/lib",
                    "/lib",
                    "--proc",
                    "/proc",
                    "--dev",
                    "/dev",
                ])
                .args(["--", "/usr/bin/true"])
                .env_clear()
                .status()
                .unwrap();
            assert!(status.success());
            start.elapsed()
        })
        .collect();

    let (mut cold, mut prepare, mut release_to_end) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        let prepared = sandbox.prepare().unwrap();
        let prepared_at = Instant::now();
        let outcome = prepared.run(program(), None, &mut |_, _| {}).unwrap();
        assert_eq!(outcome.status, code_remote_sandbox::Status::Succeeded);
        cold.push(start.elapsed());
        prepare.push(prepared_at - start);
        release_to_end.push(prepared_at.elapsed());
    }

    let mut warm = Vec::new();
    let mut next = sandbox.prepare().unwrap();
    for _ in 0..runs {
        // Prepare the following sandbox first, as a warm pool would, then time the run alone.
        let following = sandbox.prepare().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let start = Instant::now();
        next.run(program(), None, &mut |_, _| {}).unwrap();
        warm.push(start.elapsed());
        next = following;
    }
    drop(next);

    // The same through the pool: `prepare()` hands over a warm sandbox and the pool refills in
    // the background, between requests arriving 100 ms apart.
    let pooled_sandbox = Sandbox::new(SandboxConfig {
        slots: 2,
        warm: 1,
        uid_base: 60_100,
        ..Default::default()
    })
    .unwrap();
    let mut pooled = Vec::new();
    for _ in 0..runs {
        std::thread::sleep(Duration::from_millis(100));
        let start = Instant::now();
        pooled_sandbox
            .prepare()
            .unwrap()
            .run(program(), None, &mut |_, _| {})
            .unwrap();
        pooled.push(start.elapsed());
    }
    drop(pooled_sandbox);

    println!();
    line("bare python3 -I -S -c pass", &bare, None);
    line(
        "bwrap alone (namespaces, /usr, true)",
        &stats(bwrap_only),
        None,
    );
    line("sandbox cold (prepare + run)", &stats(cold), Some(&bare));
    line("  of which prepare (spawn)", &stats(prepare), None);
    line(
        "  of which run (release..teardown)",
        &stats(release_to_end),
        None,
    );
    line(
        "sandbox warm (run, prepared ahead)",
        &stats(warm),
        Some(&bare),
    );
    line(
        "sandbox pool (warm = 1, prepare + run)",
        &stats(pooled),
        Some(&bare),
    );
    println!(
        "\nsupervisor peak memory (VmHWM of this process): {} KiB",
        vm_hwm_kib()
    );
}

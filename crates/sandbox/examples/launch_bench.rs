//! The sandbox's launch path alone: `print(1)` run by `USERS` threads at once through
//! `Sandbox::prepare` + `Prepared::run`, in a supervisor made as big as a grown service on
//! purpose (a touched heap, many threads), with runs per second and the CPU time per run of
//! this process and every process it started. Prints figures; fails only if a run fails.
//!
//! `cargo run --release -p code-remote-sandbox --example launch_bench -- [--runs N]
//! [--heap-mib M]` (as root).

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use code_remote_sandbox::{Limits, Program, Sandbox, SandboxConfig, Status};

const USERS: usize = 8;
/// Idle threads, as a service's runtime and pools have.
const IDLE_THREADS: usize = 24;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(default)
}

/// User plus system CPU time of this process and of its waited-for descendants.
fn cpu_time() -> Duration {
    let usage = |who| {
        // SAFETY: getrusage fills the struct it is given; zeroes are a valid rusage.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: see above.
        unsafe { libc::getrusage(who, &mut u) };
        let t = |tv: libc::timeval| Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000);
        t(u.ru_utime) + t(u.ru_stime)
    };
    usage(libc::RUSAGE_SELF) + usage(libc::RUSAGE_CHILDREN)
}

fn hello(sandbox: &Sandbox) {
    let program = Program {
        code: b"print(1)".to_vec(),
        limits: Limits::default(),
        ..Default::default()
    };
    let outcome = sandbox
        .prepare()
        .and_then(|p| p.run(program, None, &mut |_, _| {}))
        .expect("a run");
    assert!(
        outcome.status == Status::Succeeded && outcome.stdout == b"1\n",
        "{outcome:?}"
    );
}

fn main() {
    let runs = arg("--runs", 200);
    let heap_mib = arg("--heap-mib", 512);
    let heap = vec![1u8; heap_mib << 20];
    let _idle: Vec<_> = (0..IDLE_THREADS)
        .map(|_| std::thread::spawn(std::thread::park))
        .collect();
    let sandbox = Arc::new(
        Sandbox::new(SandboxConfig {
            slots: USERS,
            uid_base: 66_000,
            ..Default::default()
        })
        .expect("a sandbox"),
    );
    for _ in 0..USERS {
        hello(&sandbox);
    }
    let cpu_before = cpu_time();
    let started = Instant::now();
    let threads: Vec<_> = (0..USERS)
        .map(|_| {
            let sandbox = Arc::clone(&sandbox);
            std::thread::spawn(move || (0..runs / USERS).for_each(|_| hello(&sandbox)))
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().expect("thread"));
    let elapsed = started.elapsed();
    drop(sandbox);
    let cpu = cpu_time() - cpu_before;
    let done = (runs / USERS * USERS) as f64;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{USERS} at a time, heap {heap_mib} MiB ({} pages): {:.1} runs/s, CPU {:.2} ms per run (load {})",
        std::hint::black_box(&heap).len() / 4096,
        done / elapsed.as_secs_f64(),
        cpu.as_secs_f64() * 1e3 / done,
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

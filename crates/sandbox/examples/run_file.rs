//! Runs one Python file in the sandbox and prints the outcome (a debugging aid).
//! Usage: cargo run -p code-remote-sandbox --example run_file -- FILE.py [PYTHON]

use code_remote_sandbox::{Program, Sandbox, SandboxConfig};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(file) = args.get(1) else {
        eprintln!("usage: run_file FILE.py [PYTHON]");
        std::process::exit(2);
    };
    let code = std::fs::read(file).expect("readable file");
    let config = SandboxConfig {
        python: args.get(2).map(Into::into),
        ..Default::default()
    };
    let sandbox = match Sandbox::new(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    eprintln!("{}", sandbox.report());
    let prepared = sandbox.prepare().expect("prepare");
    let outcome = prepared
        .run(
            Program {
                code,
                ..Default::default()
            },
            None,
            &mut |_, chunk| print!("{}", String::from_utf8_lossy(chunk)),
        )
        .expect("run");
    eprintln!(
        "status={:?} exit={:?} signal={:?} message={:?} wall={:?} cpu={:?} peak={} stderr={}",
        outcome.status,
        outcome.exit_code,
        outcome.signal,
        outcome.message,
        outcome.wall_time,
        outcome.cpu_time,
        outcome.peak_memory_bytes,
        String::from_utf8_lossy(&outcome.stderr)
    );
    for pid in sandbox.leftover_processes() {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let cgroup = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap_or_default();
        eprintln!(
            "leftover {pid}: {}\n{cgroup}",
            status.lines().take(9).collect::<Vec<_>>().join(" | ")
        );
    }
}

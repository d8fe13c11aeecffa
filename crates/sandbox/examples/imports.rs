//! Prints what importing the scientific stack costs inside the sandbox against the same
//! interpreter started bare with the same packages on `sys.path`.
//!
//! cargo run --release -p code-remote-sandbox --example imports [-- RUNS [ENV_DIR]]
//!
//! Needs root and an installed environment (scripts/install-python-env). "bare" times the whole
//! `python3 -I -S -c …` process; "sandbox" is the run's own wall time (from the moment the
//! program starts, as reported to users) of a sandbox prepared ahead, plus its peak memory.

use std::{
    path::PathBuf,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use code_remote_sandbox::{DEFAULT_PYTHON_ENV, Limits, Program, PythonEnv, Sandbox, SandboxConfig};

const PROGRAMS: &[(&str, &str)] = &[
    ("pass", "pass"),
    ("import numpy", "import numpy"),
    ("import numpy, pandas", "import numpy, pandas"),
    ("import matplotlib.pyplot", "import matplotlib.pyplot"),
    (
        "plot + savefig PNG",
        "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.savefig('/tmp/f.png')",
    ),
];

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let env_dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| DEFAULT_PYTHON_ENV.into());
    let env = PythonEnv::inspect(&env_dir).expect("an installed environment");
    let sandbox = Sandbox::new(SandboxConfig {
        slots: 1,
        python_env: Some(env_dir),
        ..Default::default()
    })
    .expect("the sandbox starts (run as root)");
    let site = env.site_packages.display().to_string();
    println!(
        "{runs} runs each, medians; Python {}",
        sandbox.python_version()
    );
    for (name, code) in PROGRAMS {
        let bare: Vec<Duration> = (0..runs)
            .map(|_| {
                // The sandbox's bootstrap does the same: the environment last on sys.path, and
                // our matplotlib configuration (Agg, the prebuilt font cache) via MPLBACKEND.
                let script = format!("import sys; sys.path.append({site:?})\n{code}");
                let started = Instant::now();
                let status = Command::new("/usr/bin/python3")
                    .args(["-I", "-S", "-c", &script])
                    .env("MPLBACKEND", "agg")
                    .env("MPLCONFIGDIR", env.mpl_cache.as_ref().unwrap())
                    .stdout(Stdio::null())
                    .status()
                    .unwrap();
                assert!(status.success(), "{name} fails bare");
                started.elapsed()
            })
            .collect();
        let mut walls = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..runs {
            let prepared = sandbox.prepare().unwrap();
            // Prepared ahead, as the warm pool does.
            std::thread::sleep(Duration::from_millis(100));
            let program = Program {
                code: code.as_bytes().to_vec(),
                limits: Limits::default(),
                ..Default::default()
            };
            let outcome = prepared.run(program, None, &mut |_, _| {}).unwrap();
            assert_eq!(
                outcome.status,
                code_remote_sandbox::Status::Succeeded,
                "{name}: {}",
                String::from_utf8_lossy(&outcome.stderr)
            );
            walls.push(outcome.wall_time);
            peaks.push(outcome.peak_memory_bytes);
        }
        peaks.sort_unstable();
        println!(
            "{name:<26} bare {}   sandbox {}   sandbox peak memory {:6.1} MiB",
            ms(median(bare)),
            ms(median(walls)),
            peaks[peaks.len() / 2] as f64 / (1024.0 * 1024.0)
        );
    }
}

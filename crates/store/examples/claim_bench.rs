//! Queue throughput: claims per second on SQLite and PostgreSQL with 1 and 4 concurrent
//! claimers. Prints a Markdown table; figures go to docs/benchmarks.md ("Queue").
//!
//! ```text
//! cargo run --release -p code-remote-store --example claim_bench -- \
//!     [--jobs 4000] [--postgres postgres://postgres@127.0.0.1:5432/test]
//! ```
//! Without `--postgres` only SQLite is measured. PostgreSQL runs in a fresh schema that is
//! dropped afterwards; SQLite in a file in a temporary directory.

use std::time::{Duration, Instant};

use code_remote_core::{JobSpec, JobStatus, Limits, Outcome, UserId};
use code_remote_store::{ClaimOptions, QueueCaps, Store};

const USERS: usize = 50;
const CAPS: QueueCaps = QueueCaps {
    max_queued_total: u64::MAX,
    max_queued_per_user: u64::MAX,
};

struct Args {
    jobs: usize,
    postgres: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        jobs: 4000,
        postgres: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--jobs" => {
                args.jobs = value
                    .parse()
                    .map_err(|_| "--jobs takes a number".to_owned())?
            }
            "--postgres" => args.postgres = Some(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(args)
}

#[derive(Clone, Copy)]
enum Mode {
    /// Claim only (the jobs stay running).
    Claim,
    /// Claim then complete, as a worker does, with no per-user limit.
    ClaimComplete,
    /// Claim then complete with at most 2 running jobs per user (the locking path).
    ClaimCompleteLimited,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::Claim => "claim",
            Mode::ClaimComplete => "claim + complete",
            Mode::ClaimCompleteLimited => "claim + complete, ≤2 running per user",
        }
    }
}

async fn fill(store: &Store, jobs: usize) -> Result<f64, code_remote_store::Error> {
    let users: Vec<UserId> = (0..USERS).map(|_| UserId::new()).collect();
    let spec = JobSpec {
        code: "print('hello')".into(),
        stdin: String::new(),
        limits: Limits::default(),
        interactive: false,
    };
    let start = Instant::now();
    for n in 0..jobs {
        store.enqueue(users[n % USERS], &spec, CAPS).await?;
    }
    Ok(jobs as f64 / start.elapsed().as_secs_f64())
}

async fn drain(store: Store, worker: usize, mode: Mode) -> Result<usize, code_remote_store::Error> {
    let opts = ClaimOptions {
        worker_id: format!("bench-{worker}"),
        lease: Duration::from_secs(300),
        max_running_per_user: if matches!(mode, Mode::ClaimCompleteLimited) {
            2
        } else {
            0
        },
    };
    let mut claimed = 0;
    while let Some(job) = store.claim(&opts).await? {
        claimed += 1;
        if !matches!(mode, Mode::Claim) {
            store
                .complete(
                    job.execution.id,
                    &opts.worker_id,
                    JobStatus::Succeeded,
                    &Outcome::default(),
                )
                .await?;
        }
    }
    Ok(claimed)
}

async fn measure(
    store: &Store,
    jobs: usize,
    claimers: usize,
    mode: Mode,
) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let enqueue_rate = fill(store, jobs).await?;
    let start = Instant::now();
    let tasks: Vec<_> = (0..claimers)
        .map(|n| tokio::spawn(drain(store.clone(), n, mode)))
        .collect();
    let mut claimed = 0;
    for task in tasks {
        claimed += task.await??;
    }
    let rate = claimed as f64 / start.elapsed().as_secs_f64();
    if claimed != jobs {
        return Err(format!("claimed {claimed} of {jobs} jobs").into());
    }
    Ok((enqueue_rate, rate))
}

async fn bench(name: &str, url: &str, jobs: usize) -> Result<(), Box<dyn std::error::Error>> {
    for mode in [Mode::Claim, Mode::ClaimComplete, Mode::ClaimCompleteLimited] {
        for claimers in [1, 4] {
            // A fresh database per round, so earlier rounds' rows do not slow later ones.
            let store = Store::connect(url).await?;
            let (enqueue_rate, rate) = measure(&store, jobs, claimers, mode).await?;
            println!(
                "| {name} | {} | {claimers} | {jobs} | {rate:.0} | {enqueue_rate:.0} |",
                mode.label()
            );
            store.close().await;
            reset(url).await?;
        }
    }
    Ok(())
}

/// Empties the tables between rounds.
async fn reset(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await?;
        sqlx::query("delete from jobs").execute(&pool).await?;
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await?;
        sqlx::query("truncate jobs").execute(&pool).await?;
        pool.close().await;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()
        .map_err(|message| format!("{message}\nusage: claim_bench [--jobs N] [--postgres URL]"))?;
    println!("| backend | operation | claimers | jobs | claims/s | enqueues/s (1 client) |");
    println!("|---|---|---|---|---|---|");

    let dir = std::env::temp_dir().join(format!("claim-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sqlite_url = format!("sqlite://{}", dir.join("bench.sqlite").display());
    let result = bench("SQLite", &sqlite_url, args.jobs).await;
    std::fs::remove_dir_all(&dir)?;
    result?;

    if let Some(admin_url) = args.postgres {
        let schema = format!("bench_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&admin_url).await?;
        sqlx::query(&format!("create schema {schema}"))
            .execute(&admin)
            .await?;
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
        let result = bench("PostgreSQL", &url, args.jobs).await;
        sqlx::query(&format!("drop schema {schema} cascade"))
            .execute(&admin)
            .await?;
        result?;
    }
    Ok(())
}

//! Queue throughput: claims per second on SQLite and PostgreSQL with 1 and 4 concurrent
//! claimers. Prints a Markdown table; figures go to docs/benchmarks.md ("Queue").
//!
//! ```text
//! cargo run --release -p code-remote-store --example claim_bench -- \
//!     [--jobs 2000] [--rounds 3] [--postgres postgres://postgres@127.0.0.1:5432/test]
//! ```
//! Each configuration runs `--rounds` times on a freshly filled queue and the best round is
//! printed (on a shared machine the slower rounds measure other processes). Without
//! `--postgres` only SQLite is measured; PostgreSQL runs in a fresh schema, dropped afterwards.

use std::time::{Duration, Instant};

use code_remote_core::{JobSpec, JobStatus, Limits, Outcome, UserId};
use code_remote_store::{ClaimOptions, Error, QueueCaps, Store};

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Jobs are spread over this many users.
const USERS: usize = 50;
const FILLERS: usize = 4;
const CAPS: QueueCaps = QueueCaps {
    max_queued_total: u64::MAX,
    max_queued_per_user: u64::MAX,
};

struct Args {
    jobs: usize,
    rounds: usize,
    postgres: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        jobs: 2000,
        rounds: 3,
        postgres: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag} takes a number"))
        };
        match flag.as_str() {
            "--jobs" => args.jobs = number()?.max(1),
            "--rounds" => args.rounds = number()?.max(1),
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
            Mode::ClaimCompleteLimited => "claim + complete, ≤ 2 running per user",
        }
    }
}

/// Fills the queue from a few concurrent clients; returns enqueues per second.
async fn fill(store: &Store, jobs: usize) -> BenchResult<f64> {
    let users: Vec<UserId> = (0..USERS).map(|_| UserId::new()).collect();
    let start = Instant::now();
    let fillers = (0..FILLERS).map(|filler| {
        let (store, users) = (store.clone(), users.clone());
        tokio::spawn(async move {
            let spec = JobSpec {
                code: "print('hello')".into(),
                stdin: String::new(),
                limits: Limits::default(),
                interactive: false,
                tests: None,
            };
            for n in (filler..jobs).step_by(FILLERS) {
                store.enqueue(users[n % USERS], &spec, CAPS).await?;
            }
            Ok::<_, Error>(())
        })
    });
    for filler in fillers.collect::<Vec<_>>() {
        filler.await??;
    }
    Ok(jobs as f64 / start.elapsed().as_secs_f64())
}

async fn drain(store: Store, worker: usize, mode: Mode) -> Result<usize, Error> {
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
            let id = job.execution.id;
            store
                .complete(
                    id,
                    &opts.worker_id,
                    JobStatus::Succeeded,
                    &Outcome::default(),
                )
                .await?;
        }
    }
    Ok(claimed)
}

/// One round: fill, then drain with `claimers` concurrent claimers. Returns (enqueues/s, claims/s).
async fn round(url: &str, jobs: usize, claimers: usize, mode: Mode) -> BenchResult<(f64, f64)> {
    let store = Store::connect(url).await?;
    let enqueue_rate = fill(&store, jobs).await?;
    let start = Instant::now();
    let tasks: Vec<_> = (0..claimers)
        .map(|n| tokio::spawn(drain(store.clone(), n, mode)))
        .collect();
    let mut claimed = 0;
    for task in tasks {
        claimed += task.await??;
    }
    let claim_rate = claimed as f64 / start.elapsed().as_secs_f64();
    if claimed != jobs {
        return Err(format!("claimed {claimed} of {jobs} jobs").into());
    }
    store.close().await;
    empty_jobs_table(url).await?;
    Ok((enqueue_rate, claim_rate))
}

async fn bench(name: &str, url: &str, args: &Args) -> BenchResult<()> {
    for mode in [Mode::Claim, Mode::ClaimComplete, Mode::ClaimCompleteLimited] {
        for claimers in [1, 4] {
            let (mut best_enqueue, mut best_claim) = (0.0f64, 0.0f64);
            for _ in 0..args.rounds {
                let (enqueue_rate, claim_rate) = round(url, args.jobs, claimers, mode).await?;
                best_enqueue = best_enqueue.max(enqueue_rate);
                best_claim = best_claim.max(claim_rate);
            }
            println!(
                "| {name} | {} | {claimers} | {} | {best_claim:.0} | {best_enqueue:.0} |",
                mode.label(),
                args.jobs
            );
        }
    }
    Ok(())
}

async fn empty_jobs_table(url: &str) -> BenchResult<()> {
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

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let args = parse_args().map_err(|message| {
        format!("{message}\nusage: claim_bench [--jobs N] [--rounds N] [--postgres URL]")
    })?;
    println!("load average before: {}", load_average());
    println!();
    println!(
        "| backend | operation | claimers | jobs | claims/s | enqueues/s ({FILLERS} clients) |"
    );
    println!("|---|---|---|---|---|---|");

    let dir = std::env::temp_dir().join(format!("claim-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sqlite_url = format!("sqlite://{}", dir.join("bench.sqlite").display());
    let result = bench("SQLite", &sqlite_url, &args).await;
    std::fs::remove_dir_all(&dir)?;
    result?;

    if let Some(admin_url) = &args.postgres {
        let schema = format!("bench_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(admin_url).await?;
        sqlx::query(&format!("create schema {schema}"))
            .execute(&admin)
            .await?;
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
        let result = bench("PostgreSQL", &url, &args).await;
        sqlx::query(&format!("drop schema {schema} cascade"))
            .execute(&admin)
            .await?;
        result?;
    }
    println!();
    println!("load average after: {}", load_average());
    Ok(())
}

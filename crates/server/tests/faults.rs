//! The load-and-fault run (`docs/benchmarks.md`): several hundred jobs from several users while
//! the platform around them fails, and afterwards every accepted job has finished exactly once.
//!
//! - PostgreSQL, two API nodes and two worker nodes: a worker is SIGKILLed mid-run, then an API
//!   node (and started again), then every database connection is reset by the server.
//! - SQLite on a full disk: submissions get a clear 503 (`storage_full`), nothing accepted is
//!   lost or corrupted, and the server recovers by itself once space returns.
//!
//! Both print their figures. The PostgreSQL run needs `TEST_DATABASE_URL`; the full disk mounts
//! a small tmpfs, so it needs root (as the sandbox does).

mod support;

use std::{
    collections::HashMap,
    io::Write,
    time::{Duration, Instant},
};

use futures::future::join_all;
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};
use support::{Cluster, Node, register, start, wait_finished};

const JOBS: usize = 300;
const USERS: usize = 6;

/// What happened to one submission.
enum Submitted {
    Accepted(String),
    /// A clear refusal (a 503 with our error body) while the platform was failing.
    Refused(u16, String),
}

async fn try_submit(client: &reqwest::Client, api: &Node, token: &str, code: &str) -> Submitted {
    let response = match client
        .post(api.url("/api/v1/executions"))
        .bearer_auth(token)
        .json(&json!({ "code": code }))
        .send()
        .await
    {
        Ok(response) => response,
        Err(err) => return Submitted::Refused(0, err.to_string()),
    };
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    match status {
        202 => Submitted::Accepted(body["id"].as_str().unwrap().to_owned()),
        _ => {
            let code = body["error"]["code"].as_str().unwrap_or("").to_owned();
            assert!(
                status == 503 && !code.is_empty(),
                "a submission failed without a clear answer: {status} {body}"
            );
            Submitted::Refused(status, code)
        }
    }
}

#[tokio::test]
async fn accepted_jobs_survive_killed_nodes_and_reset_connections() {
    let Some(cluster) = Cluster::create("cr_faults").await else {
        return;
    };
    let mut api = vec![cluster.api().await, cluster.api().await];
    let mut workers = vec![cluster.worker().await, cluster.worker().await];

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut tokens = Vec::new();
    for user in 0..USERS {
        tokens.push(register(&client, &api[user % 2], &format!("load{user}")).await);
    }

    let started = Instant::now();
    let mut accepted: Vec<(String, usize, usize)> = Vec::new();
    let mut refused: HashMap<String, usize> = HashMap::new();
    const BATCH: usize = 25;
    for batch in 0..JOBS / BATCH {
        match batch {
            4 => workers[0].kill().await,
            6 => {
                api[0].kill().await;
                api[0] = cluster.api().await;
            }
            8 => cluster.reset_connections().await,
            _ => {}
        }
        let submissions = (batch * BATCH..(batch + 1) * BATCH).map(|i| {
            let (client, node, token) = (&client, &api[i % 2], &tokens[i % USERS]);
            async move {
                let code = format!("import time\ntime.sleep(0.02)\nprint('job {i}')");
                (i, try_submit(client, node, token, &code).await)
            }
        });
        for (i, outcome) in join_all(submissions).await {
            match outcome {
                Submitted::Accepted(id) => accepted.push((id, i % USERS, i)),
                Submitted::Refused(status, code) => {
                    *refused.entry(format!("{status} {code}")).or_default() += 1
                }
            }
        }
    }
    let submitted_in = started.elapsed();

    let mut db = PgConnection::connect(&cluster.url).await.unwrap();
    cluster.drain(&mut db, Duration::from_secs(180)).await;
    let drained_in = started.elapsed();
    let stored: i64 = sqlx::query_scalar("select count(*) from jobs")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(
        stored as usize,
        accepted.len(),
        "every accepted job is stored, no more"
    );
    let retried: i64 = sqlx::query_scalar("select count(*) from jobs where attempts > 1")
        .fetch_one(&mut db)
        .await
        .unwrap();

    // Every accepted job succeeded, with its own output, seen through both API nodes.
    for (id, user, i) in &accepted {
        for node in &api {
            let execution: Value = client
                .get(node.url(&format!("/api/v1/executions/{id}")))
                .bearer_auth(&tokens[*user])
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(execution["status"], "succeeded", "{execution}");
            assert_eq!(execution["stdout"], format!("job {i}\n"));
        }
    }
    eprintln!(
        "load-and-fault (PostgreSQL, 2 API + 2 worker nodes, {USERS} users): {JOBS} submitted in \
         {:.1} s, {} accepted, refused {refused:?}; worker SIGKILL after 100, API SIGKILL after \
         150, every connection reset after 200; all accepted finished exactly once after {:.1} s \
         ({retried} retried)",
        submitted_in.as_secs_f64(),
        accepted.len(),
        drained_in.as_secs_f64(),
    );
    assert!(
        accepted.len() >= JOBS * 9 / 10,
        "most submissions are accepted: {}",
        accepted.len()
    );

    drop(workers);
    drop(api);
    drop(db);
    cluster.drop_database().await;
}

/// A small tmpfs mounted for the test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let options = format!("size={size},mode=0700");
        match nix::mount::mount(
            Some("tmpfs"),
            dir.path(),
            Some("tmpfs"),
            nix::mount::MsFlags::empty(),
            Some(options.as_str()),
        ) {
            Ok(()) => Some(Self { dir }),
            Err(err) => {
                assert!(
                    std::env::var_os("CODE_REMOTE_REQUIRE_SANDBOX").is_none(),
                    "cannot mount a tmpfs for the full-disk test: {err}"
                );
                None
            }
        }
    }

    /// Fills the disk with one file, leaving nothing free, and returns its path.
    fn fill(&self) -> std::path::PathBuf {
        let path = self.dir.path().join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 16 * 1024];
        while file.write_all(&chunk).is_ok() {}
        let mut byte = [0u8; 1];
        while file.write_all(&byte).is_ok() {
            byte[0] += 1;
        }
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = nix::mount::umount2(self.dir.path(), nix::mount::MntFlags::MNT_DETACH);
    }
}

#[tokio::test]
async fn a_full_disk_gives_clear_503s_loses_nothing_and_recovers() {
    let Some(disk) = SmallDisk::mount("8m") else {
        eprintln!("SKIPPED: the full-disk run needs root to mount a tmpfs");
        return;
    };
    let data = disk.dir.path().join("data");
    let server = start(&[
        "serve",
        "--workers",
        "1",
        "--lease-secs",
        "2",
        "--uid-base",
        &(67_000 + std::process::id() % 500 * 2).to_string(),
        "--user-requests-per-second",
        "0",
        "--ip-requests-per-second",
        "0",
        "--max-queued-per-user",
        "1000",
        "--data-dir",
        data.to_str().unwrap(),
    ])
    .await;
    let client = reqwest::Client::new();
    let token = register(&client, &server, "diskful").await;
    let big_code = format!("# {}\nprint('kept')", "x".repeat(64 * 1024));

    let mut accepted = Vec::new();
    for _ in 0..5 {
        match try_submit(&client, &server, &token, &big_code).await {
            Submitted::Accepted(id) => accepted.push(id),
            Submitted::Refused(status, code) => panic!("refused with room left: {status} {code}"),
        }
    }
    let filler = disk.fill();
    let mut refusals = 0;
    let mut accepted_while_full = 0;
    for _ in 0..60 {
        match try_submit(&client, &server, &token, &big_code).await {
            Submitted::Accepted(id) => {
                accepted.push(id);
                accepted_while_full += 1;
            }
            Submitted::Refused(status, code) => {
                assert_eq!((status, code.as_str()), (503, "storage_full"));
                refusals += 1;
            }
        }
    }
    assert!(
        refusals > 0,
        "a full disk is answered with 503 storage_full"
    );
    // Reads still work while the disk is full.
    let health = client.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    std::fs::remove_file(&filler).unwrap();
    let started = Instant::now();
    let after = match try_submit(&client, &server, &token, "print('after')").await {
        Submitted::Accepted(id) => id,
        Submitted::Refused(status, code) => {
            panic!("still refused once space returned: {status} {code}")
        }
    };
    accepted.push(after.clone());
    for id in &accepted {
        let execution = wait_finished(&client, &server, &token, id).await;
        assert_eq!(execution["status"], "succeeded", "{execution}");
    }
    eprintln!(
        "full disk (SQLite on an 8 MiB tmpfs): {refusals} of 60 submissions refused with 503 \
         storage_full ({accepted_while_full} fitted), all {} accepted jobs succeeded, {:.1} s to \
         drain after space returned",
        accepted.len(),
        started.elapsed().as_secs_f64()
    );

    drop(server);
    let mut db = sqlx::SqliteConnection::connect(&format!(
        "sqlite://{}",
        data.join("code-remote.db").display()
    ))
    .await
    .unwrap();
    let check: String = sqlx::query_scalar("pragma integrity_check")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(check, "ok");
}

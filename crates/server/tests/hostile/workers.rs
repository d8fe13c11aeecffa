//! Several worker processes on one host, each started with its defaults: they must start (no
//! port to collide on) and their sandboxes must never share a host uid, whichever process holds
//! the slot.

use std::time::Duration;

use futures::future::join_all;
use serde_json::{Value, json};

use crate::support::{Cluster, register, rss_kib, start_worker};

const JOBS: usize = 8;

#[tokio::test]
async fn two_workers_on_one_host_start_with_their_defaults_and_never_share_a_uid() {
    let Some(cluster) = Cluster::create("cr_two_workers").await else {
        return;
    };
    let api = cluster.api().await;
    // Nothing but the queue and the slot count: the README's "worker nodes" line, twice.
    let worker_args = ["worker", "--database-url", &cluster.url, "--workers", "2"];
    let workers = [
        start_worker(&worker_args).await,
        start_worker(&worker_args).await,
    ];
    let memory_before: Vec<u64> = workers
        .iter()
        .map(|w| rss_kib(w.child.id().unwrap()))
        .collect();

    let client = reqwest::Client::new();
    // One user each: a user runs one job at a time.
    let mut tokens = Vec::new();
    for user in 0..JOBS {
        tokens.push(register(&client, &api, &format!("sharer{user}")).await);
    }
    // Each run reports its host uid (the sandbox maps it to itself) and when it ran; the sleep
    // makes runs of the four slots overlap.
    let code = "import os, time\nstart = time.time()\ntime.sleep(1.5)\nprint(os.getuid(), start, time.time())";
    let runs = join_all(tokens.iter().map(|token| {
        let (client, api) = (&client, &api);
        async move {
            let response = client
                .post(api.url("/api/v1/executions?wait=true"))
                .bearer_auth(token)
                .json(&json!({ "code": code }))
                .timeout(Duration::from_secs(60))
                .send()
                .await
                .unwrap();
            let execution: Value = response.json().await.unwrap();
            assert_eq!(execution["status"], "succeeded", "{execution}");
            let fields: Vec<f64> = execution["stdout"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .map(|field| field.parse().unwrap())
                .collect();
            (fields[0] as u32, fields[1], fields[2])
        }
    }))
    .await;

    let mut overlapping = 0;
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i + 1..] {
            if a.1 < b.2 && b.1 < a.2 {
                overlapping += 1;
                assert_ne!(
                    a.0, b.0,
                    "two runs at the same time shared host uid {}",
                    a.0
                );
            }
        }
    }
    let mut uids: Vec<u32> = runs.iter().map(|run| run.0).collect();
    uids.sort_unstable();
    uids.dedup();
    eprintln!(
        "two workers with their defaults: {JOBS} runs, {overlapping} overlapping pairs, uids {uids:?}"
    );
    // Four slots in two processes: more than two runs at once means both processes ran some.
    assert!(
        uids.len() > 2,
        "runs of both processes overlapped: {uids:?}"
    );
    for (worker, before) in workers.iter().zip(memory_before) {
        let growth = rss_kib(worker.child.id().unwrap()).saturating_sub(before);
        assert!(growth < 16 * 1024, "a worker grew by {growth} KiB");
    }

    drop(workers);
    drop(api);
    cluster.drop_database().await;
}

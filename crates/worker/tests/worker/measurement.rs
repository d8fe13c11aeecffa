//! Measurement jobs: the analyzer's harness in the sandbox, its fit stored as the job's result.

use std::time::{Duration, Instant};

use code_remote_analyzer::Measurements;
use code_remote_core::{JobSpec, JobStatus, Limits, UserId};
use code_remote_store::{JobKind, NewJob, Store};
use code_remote_worker::WorkerConfig;

use crate::helpers::{CAPS, test_store, worker};

fn measurement(code: &str) -> JobSpec {
    JobSpec {
        code: code.into(),
        stdin: String::new(),
        limits: Limits {
            time_limit_ms: 10_000,
            ..Limits::default()
        },
        interactive: false,
        tests: None,
    }
}

async fn enqueue(store: &Store, spec: &JobSpec) -> code_remote_core::Execution {
    let job = NewJob {
        user: UserId::new(),
        kind: JobKind::Measurement,
        spec,
        cpu_quota: None,
        callback: None,
    };
    store.enqueue_job(job, CAPS).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_measurement_stores_its_fit_and_the_cpu_time_it_used() {
    let (store, _dir) = test_store().await;
    let spec = measurement("def total(arr: list) -> int:\n    return sum(x * x for x in arr)\n");
    let queued = enqueue(&store, &spec).await;
    assert_eq!(
        worker(&store, WorkerConfig::default())
            .run_one()
            .await
            .unwrap(),
        Some(queued.id)
    );

    let job = store.job(queued.id).await.unwrap().unwrap();
    assert_eq!(job.status, JobStatus::Succeeded, "{job:?}");
    assert!(job.cpu_time_ms.unwrap() > 0, "{job:?}");
    let result = store
        .job_result(queued.id)
        .await
        .unwrap()
        .expect("a result");
    let measured: Measurements = serde_json::from_str(&result).unwrap();
    assert_eq!(measured.function, "total");
    assert!(measured.points.len() >= 4, "{measured:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_measurement_stops_and_ends_cancelled() {
    let (store, _dir) = test_store().await;
    let config = WorkerConfig {
        heartbeat: Duration::from_millis(100),
        ..WorkerConfig::default()
    };
    let spec = measurement("def spin(n: int):\n    while True:\n        pass\n");
    let queued = enqueue(&store, &spec).await;
    let worker = worker(&store, config);
    let run = tokio::spawn(async move { worker.run_one().await });
    // Bounded wait for the claim; the cancel must reach a running measurement.
    let start = Instant::now();
    while store.job(queued.id).await.unwrap().unwrap().status == JobStatus::Queued {
        assert!(start.elapsed() < Duration::from_secs(10), "never claimed");
        tokio::task::yield_now().await;
    }
    store.request_cancel(queued.id).await.unwrap();
    run.await.unwrap().unwrap();

    let job = store.job(queued.id).await.unwrap().unwrap();
    assert_eq!(job.status, JobStatus::Cancelled, "{job:?}");
    assert!(job.wall_time_ms.unwrap() < 9_000, "stopped early: {job:?}");
    assert_eq!(store.job_result(queued.id).await.unwrap(), None);
}

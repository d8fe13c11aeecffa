//! A run's files are stored with the job and announced before it finishes.

use code_remote_core::{JobEvent, JobSpec, JobStatus, Limits, UserId};
use code_remote_worker::WorkerConfig;

use crate::helpers::{CAPS, test_store, worker};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_in_box_out_are_stored_and_announced_before_finished() {
    let (store, _dir) = test_store().await;
    let spec = JobSpec {
        code: "open('/box/out/result.csv', 'w').write('n,square\\n3,9\\n')\n\
               import os\nos.symlink('/etc/passwd', '/box/out/link')"
            .into(),
        stdin: String::new(),
        limits: Limits::default(),
        interactive: false,
        tests: None,
    };
    let job = store.enqueue(UserId::new(), &spec, CAPS).await.unwrap().id;
    worker(&store, WorkerConfig::default())
        .run_one()
        .await
        .unwrap()
        .expect("the job ran");

    let execution = store.job(job).await.unwrap().unwrap();
    assert_eq!(
        execution.status,
        JobStatus::Succeeded,
        "{}",
        execution.stderr
    );
    assert_eq!(execution.artifacts.len(), 1);
    let listed = &execution.artifacts[0];
    assert_eq!(
        (listed.name.as_str(), listed.media_type.as_str()),
        ("result.csv", "text/csv")
    );
    assert_eq!(listed.size_bytes, 13);
    assert_eq!(execution.artifacts_skipped.len(), 1);
    assert!(execution.artifacts_skipped[0].contains("symbolic link"));
    let (_, data) = store.artifact(job, "result.csv").await.unwrap().unwrap();
    assert_eq!(data, b"n,square\n3,9\n");

    let events = store.events_since(job, 0).await.unwrap();
    let artifact_at = events
        .iter()
        .position(
            |e| matches!(e, JobEvent::Artifact { artifact, .. } if artifact.name == "result.csv"),
        )
        .expect("an artifact event");
    assert!(events.last().unwrap().is_final());
    assert!(artifact_at < events.len() - 1, "announced before finished");
    let JobEvent::Finished {
        execution: summary, ..
    } = events.last().unwrap()
    else {
        unreachable!()
    };
    assert_eq!(summary.artifacts, execution.artifacts);
}

//! Artifacts: stored with the lease held, listed on the execution, replaced by a retry,
//! deleted with their job.

use code_remote_core::{ArtifactInfo, JobStatus, Outcome};
use code_remote_store::NewArtifact;

use crate::helpers::{NO_CAPS, TestDb, someone, spec, worker};

crate::on_both_backends!(
    artifacts_are_listed_on_the_execution_and_read_back_byte_for_byte,
    only_the_worker_holding_the_lease_stores_artifacts,
    a_retry_replaces_the_artifacts_of_an_earlier_attempt,
    artifacts_are_deleted_with_their_job,
);

fn file(name: &str, data: &[u8]) -> NewArtifact {
    NewArtifact {
        info: ArtifactInfo {
            name: name.into(),
            media_type: code_remote_core::media_type_for(name).into(),
            size_bytes: data.len() as u64,
            sha256: format!("sha-of-{name}"),
        },
        data: data.to_vec(),
    }
}

async fn running_job(db: &TestDb, worker_id: &str) -> code_remote_core::JobId {
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    db.store
        .claim(&worker(worker_id, 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    job
}

async fn artifacts_are_listed_on_the_execution_and_read_back_byte_for_byte(db: &TestDb) {
    let job = running_job(db, "w").await;
    // Bytes no text column could hold, NUL included.
    let png = b"\x89PNG\r\n\x1a\n\0\xff\xfe".to_vec();
    let files = [file("figure-1.png", &png), file("data.csv", b"x,y\n")];
    let skipped = vec!["link: a symbolic link".to_string()];
    assert!(
        db.store
            .save_artifacts(job, "w", &files, &skipped)
            .await
            .unwrap()
    );
    let done = db
        .store
        .complete(job, "w", JobStatus::Succeeded, &Outcome::default())
        .await
        .unwrap()
        .unwrap();
    let names: Vec<&str> = done.artifacts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["figure-1.png", "data.csv"]);
    assert_eq!(done.artifacts[0].media_type, "image/png");
    assert_eq!(done.artifacts_skipped, skipped);
    let listed = db.store.job(job).await.unwrap().unwrap();
    assert_eq!(listed.artifacts, done.artifacts);
    let (info, data) = db
        .store
        .artifact(job, "figure-1.png")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((info.size_bytes, data), (png.len() as u64, png));
    assert!(db.store.artifact(job, "nope.png").await.unwrap().is_none());
}

async fn only_the_worker_holding_the_lease_stores_artifacts(db: &TestDb) {
    let job = running_job(db, "w").await;
    let files = [file("a.txt", b"a")];
    assert!(
        !db.store
            .save_artifacts(job, "someone-else", &files, &[])
            .await
            .unwrap()
    );
    assert_eq!(db.store.artifact_count(job).await.unwrap(), 0);
    assert!(
        db.store
            .job(job)
            .await
            .unwrap()
            .unwrap()
            .artifacts
            .is_empty()
    );
}

async fn a_retry_replaces_the_artifacts_of_an_earlier_attempt(db: &TestDb) {
    let job = running_job(db, "w").await;
    let first = [file("a.txt", b"first"), file("b.txt", b"first")];
    assert!(
        db.store
            .save_artifacts(job, "w", &first, &[])
            .await
            .unwrap()
    );
    let second = [file("a.txt", b"second")];
    assert!(
        db.store
            .save_artifacts(job, "w", &second, &[])
            .await
            .unwrap()
    );
    assert_eq!(db.store.artifact_count(job).await.unwrap(), 1);
    let (_, data) = db.store.artifact(job, "a.txt").await.unwrap().unwrap();
    assert_eq!(data, b"second");
    assert_eq!(db.store.job(job).await.unwrap().unwrap().artifacts.len(), 1);
}

async fn artifacts_are_deleted_with_their_job(db: &TestDb) {
    let job = running_job(db, "w").await;
    assert!(
        db.store
            .save_artifacts(job, "w", &[file("a.txt", b"a")], &[])
            .await
            .unwrap()
    );
    assert_eq!(db.store.artifact_count(job).await.unwrap(), 1);
    db.delete_job(job).await;
    assert_eq!(db.store.artifact_count(job).await.unwrap(), 0);
}

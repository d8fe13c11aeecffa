//! Opening stores: URLs, in-memory SQLite for tests, migrations on an existing database.

use code_remote_core::JobStatus;
use code_remote_store::{Error, Store};

use crate::helpers::{NO_CAPS, someone, spec, worker};

#[tokio::test]
async fn an_in_memory_sqlite_store_keeps_its_data_across_reads_and_writes() {
    let store = Store::connect("sqlite::memory:").await.unwrap();
    assert_eq!(store.backend(), "sqlite");
    store.ping().await.unwrap();
    let queued = store.enqueue(someone(), &spec("1"), NO_CAPS).await.unwrap();
    assert_eq!(store.job(queued.id).await.unwrap(), Some(queued.clone()));
    let claimed = store.claim(&worker("w", 60_000, 1)).await.unwrap().unwrap();
    assert_eq!(
        (claimed.execution.id, claimed.execution.status),
        (queued.id, JobStatus::Running)
    );
    assert_eq!(store.queue_depth().await.unwrap(), 0);
}

#[tokio::test]
async fn a_url_of_another_database_is_refused_clearly() {
    for url in ["mysql://localhost/db", "", "postgres-ish"] {
        let refused = Store::connect(url).await;
        assert!(
            matches!(refused, Err(Error::BadUrl { .. })),
            "{url:?} was not refused as a bad url"
        );
    }
}

#[tokio::test]
async fn reopening_a_sqlite_file_runs_no_migration_twice() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let first = Store::connect(&url).await.unwrap();
    let queued = first.enqueue(someone(), &spec("1"), NO_CAPS).await.unwrap();
    first.close().await;
    let second = Store::connect(&url).await.unwrap();
    assert_eq!(second.job(queued.id).await.unwrap(), Some(queued));
}

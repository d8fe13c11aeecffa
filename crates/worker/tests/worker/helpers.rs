//! A fresh SQLite store, one sandbox for the test binary, and small builders.

use std::sync::{Arc, OnceLock};

use code_remote_core::{JobSpec, Limits};
use code_remote_sandbox::{Sandbox, SandboxConfig};
use code_remote_store::{QueueCaps, Store};
use code_remote_worker::{Worker, WorkerConfig};

pub const CAPS: QueueCaps = QueueCaps {
    max_queued_total: 100,
    max_queued_per_user: 100,
};

pub async fn test_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    (Store::connect(&url).await.unwrap(), dir)
}

/// A worker on `store` with the shared sandbox.
pub fn worker(store: &Store, config: WorkerConfig) -> Worker {
    static SANDBOX: OnceLock<Arc<Sandbox>> = OnceLock::new();
    let sandbox = SANDBOX.get_or_init(|| {
        let config = SandboxConfig {
            slots: 2,
            ..SandboxConfig::default()
        };
        Arc::new(Sandbox::new(config).expect("the sandbox starts (tests run as root)"))
    });
    Worker::new("w".into(), store.clone(), sandbox.clone(), Arc::new(config))
}

pub fn print_one() -> JobSpec {
    JobSpec {
        code: "print(1)".into(),
        stdin: String::new(),
        limits: Limits::default(),
        interactive: false,
        tests: None,
    }
}

//! A fresh database per case, the macro that runs each case on both backends, and small
//! builders.

use std::{
    future::Future,
    io::Write,
    sync::Once,
    time::{Duration, Instant},
};

use code_remote_core::{JobSpec, Limits, UserId};
use code_remote_store::{ClaimOptions, NewUser, QueueCaps, Store, User};

/// How long a case waits for something that should happen almost at once.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Defines `sqlite::<case>` and `postgres::<case>` tests for each `async fn case(db: &TestDb)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let db = $crate::helpers::TestDb::sqlite().await;
                    super::$case(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(db) = $crate::helpers::TestDb::postgres().await else { return };
                    super::$case(&db).await;
                }
            )*
        }
    };
}

pub enum Backing {
    Sqlite {
        _dir: tempfile::TempDir,
        url: String,
    },
    Postgres {
        admin_url: String,
        schema: String,
        url: String,
    },
}

/// A store on a database no other case uses.
pub struct TestDb {
    pub store: Store,
    backing: Backing,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
        let store = Store::connect(&url).await.expect("open SQLite");
        TestDb {
            store,
            backing: Backing::Sqlite { _dir: dir, url },
        }
    }

    /// `None` (after saying so once) when `TEST_DATABASE_URL` is unset.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            static SAY_ONCE: Once = Once::new();
            SAY_ONCE.call_once(|| {
                // Written past the test harness's capture on purpose, so the skip is visible.
                let _ = writeln!(
                    std::io::stderr(),
                    "store tests: TEST_DATABASE_URL is unset, skipping every PostgreSQL case"
                );
            });
            return None;
        };
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&admin_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
        sqlx::query(&format!("create schema {schema}"))
            .execute(&admin)
            .await
            .expect("create a schema");
        admin.close().await;
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        // The application name lets a case find (and kill) this store's connections.
        let url = format!(
            "{admin_url}{separator}options=-c%20search_path%3D{schema}&application_name={schema}"
        );
        let store = Store::connect(&url).await.expect("open PostgreSQL");
        Some(TestDb {
            store,
            backing: Backing::Postgres {
                admin_url,
                schema,
                url,
            },
        })
    }

    /// A second store on the same database, as another node would open it (for SQLite, whose
    /// bus is in-process, the same store).
    pub async fn another_node(&self) -> Store {
        match &self.backing {
            Backing::Sqlite { .. } => self.store.clone(),
            Backing::Postgres { url, .. } => Store::connect(url).await.expect("open a second node"),
        }
    }

    /// A second, independent connection to the same database (both backends).
    pub async fn reopen(&self) -> Store {
        match &self.backing {
            Backing::Sqlite { url, .. } | Backing::Postgres { url, .. } => {
                Store::connect(url).await.expect("reopen")
            }
        }
    }

    /// Deletes a job row directly (the store has no call for it), as a retention job or an
    /// operator would.
    pub async fn delete_job(&self, job: code_remote_core::JobId) {
        const SQL: &str = "delete from jobs where id = $1";
        match &self.backing {
            Backing::Sqlite { url, .. } => {
                let pool = sqlx::SqlitePool::connect(url).await.expect("open SQLite");
                sqlx::query("pragma foreign_keys = on")
                    .execute(&pool)
                    .await
                    .unwrap();
                sqlx::query(SQL)
                    .bind(job.0)
                    .execute(&pool)
                    .await
                    .expect("delete");
            }
            Backing::Postgres { url, .. } => {
                let pool = sqlx::PgPool::connect(url).await.expect("open PostgreSQL");
                sqlx::query(SQL)
                    .bind(job.0)
                    .execute(&pool)
                    .await
                    .expect("delete");
            }
        }
    }

    pub fn schema(&self) -> Option<&str> {
        match &self.backing {
            Backing::Sqlite { .. } => None,
            Backing::Postgres { schema, .. } => Some(schema),
        }
    }

    pub fn admin_url(&self) -> Option<&str> {
        match &self.backing {
            Backing::Sqlite { .. } => None,
            Backing::Postgres { admin_url, .. } => Some(admin_url),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Backing::Postgres {
            admin_url, schema, ..
        } = &self.backing
        else {
            return;
        };
        let (admin_url, schema) = (admin_url.clone(), schema.clone());
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let admin = sqlx::PgPool::connect(&admin_url)
                    .await
                    .map_err(std::io::Error::other)?;
                sqlx::query(&format!("drop schema {schema} cascade"))
                    .execute(&admin)
                    .await
                    .map_err(std::io::Error::other)?;
                admin.close().await;
                Ok::<_, std::io::Error>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            let _ = writeln!(
                std::io::stderr(),
                "store tests: could not drop schema {}",
                self.schema().unwrap_or("?")
            );
        }
    }
}

impl TestDb {
    /// A job of `someone()` running `code`, enqueued and claimed by worker `w` (60 s lease).
    pub async fn running_job(&self, code: &str) -> code_remote_core::JobId {
        let job = self
            .store
            .enqueue(someone(), &spec(code), NO_CAPS)
            .await
            .unwrap()
            .id;
        self.store
            .claim(&worker("w", 60_000, 0))
            .await
            .unwrap()
            .expect("the job just enqueued is claimed");
        job
    }
}

pub fn spec(code: &str) -> JobSpec {
    JobSpec {
        code: code.to_owned(),
        stdin: String::new(),
        limits: Limits::default(),
        interactive: false,
        tests: None,
    }
}

pub const NO_CAPS: QueueCaps = QueueCaps {
    max_queued_total: 1_000_000,
    max_queued_per_user: 1_000_000,
};

pub fn worker(name: &str, lease_ms: u64, max_running_per_user: u32) -> ClaimOptions {
    ClaimOptions {
        worker_id: name.to_owned(),
        lease: Duration::from_millis(lease_ms),
        max_running_per_user,
    }
}

pub async fn user(store: &Store, username: &str) -> User {
    store
        .create_user(NewUser {
            username: username.to_owned(),
            email: None,
            password_hash: Some("$argon2id$not-a-real-hash".to_owned()),
            role: code_remote_core::Role::User,
            oidc: None,
        })
        .await
        .expect("create a user")
}

/// A user id without an account row: jobs do not require one.
pub fn someone() -> UserId {
    UserId::new()
}

/// Polls `check` until it yields `Some`, failing the case after [`PATIENCE`].
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(start.elapsed() < PATIENCE, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

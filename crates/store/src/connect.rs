//! Opening a store: URL parsing, pool settings per backend, migrations at start-up.

use std::{str::FromStr, time::Duration};

use sqlx::{
    ConnectOptions, PgPool, SqlitePool,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use crate::{Bus, Error, Result, Store};

/// How long a SQLite writer waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Read-only SQLite connections beside the single writer.
const SQLITE_READERS: u32 = 4;
const PG_MAX_CONNECTIONS: u32 = 16;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLite admits one writer at a time, so writes go through one connection (no lock
/// contention, and its page cache stays warm: rotating writes over several connections made
/// claims several times slower). Reads use a small pool of read-only connections beside it,
/// which WAL mode lets run while the writer writes.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    pub(crate) reader: SqlitePool,
    pub(crate) bus: Bus,
}

#[derive(Clone, Debug)]
pub struct PgStore {
    pub(crate) pool: PgPool,
    pub(crate) bus: Bus,
}

impl Store {
    /// Opens `sqlite:///path/db.sqlite` (created if missing), `sqlite::memory:` (one private
    /// database per store, for tests) or `postgres://…`, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("sqlite:") {
            connect_sqlite(url).await.map(Store::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            connect_postgres(url).await.map(Store::Postgres)
        } else {
            Err(Error::BadUrl {
                reason: "the scheme is neither sqlite: nor postgres://".into(),
            })
        }
    }

    /// Succeeds when the database answers a query.
    pub async fn ping(&self) -> Result<()> {
        crate::on_pool!(self, pool => {
            sqlx::query("select 1").execute(pool).await?;
        });
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// The signalling bus of this store (in-process for SQLite, LISTEN/NOTIFY for PostgreSQL).
    pub fn bus(&self) -> Bus {
        match self {
            Store::Sqlite(store) => store.bus.clone(),
            Store::Postgres(store) => store.bus.clone(),
        }
    }

    /// Closes the pools; the bus listener of PostgreSQL stops with them.
    pub async fn close(&self) {
        match self {
            Store::Sqlite(store) => {
                store.reader.close().await;
                store.pool.close().await;
            }
            Store::Postgres(store) => store.pool.close().await,
        }
    }
}

async fn connect_sqlite(url: &str) -> Result<SqliteStore> {
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|error| Error::BadUrl {
            reason: error.to_string(),
        })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .foreign_keys(true)
        .disable_statement_logging();
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT);
    let pool = if in_memory {
        // Every connection to `:memory:` is a separate database: keep this one forever.
        writer
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
    } else {
        writer
    }
    .connect_with(options.clone())
    .await
    .map_err(Error::Database)?;
    sqlx::migrate!("migrations/sqlite").run(&pool).await?;
    let reader = if in_memory {
        pool.clone()
    } else {
        SqlitePoolOptions::new()
            .max_connections(SQLITE_READERS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.read_only(true))
            .await
            .map_err(Error::Database)?
    };
    Ok(SqliteStore {
        pool,
        reader,
        bus: Bus::local(),
    })
}

async fn connect_postgres(url: &str) -> Result<PgStore> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|error| Error::BadUrl {
            reason: error.to_string(),
        })?
        .disable_statement_logging();
    let pool = PgPoolOptions::new()
        .max_connections(PG_MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(Error::Database)?;
    sqlx::migrate!("migrations/postgres").run(&pool).await?;
    let bus = Bus::postgres(pool.clone()).await?;
    Ok(PgStore { pool, bus })
}

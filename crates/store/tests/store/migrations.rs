//! Migration 0002 on a database that already holds usernames differing only in letter case:
//! the oldest keeps its name, the others are renamed so the case-insensitive index can be built.

use std::borrow::Cow;

use code_remote_store::Store;
use sqlx::migrate::Migrator;

const OLDER: &str = "2026-01-01T00:00:00Z";
const NEWER: &str = "2026-02-01T00:00:00Z";

fn only_the_first(mut migrator: Migrator) -> Migrator {
    migrator.migrations = Cow::Owned(
        migrator
            .migrations
            .iter()
            .filter(|migration| migration.version == 1)
            .cloned()
            .collect(),
    );
    migrator
}

async fn renamed_duplicates(store: &Store) {
    let oldest = store.user_by_username("ADA").await.unwrap().unwrap();
    assert_eq!(oldest.username, "Ada", "the oldest account keeps its name");
    let users = store.list_users(10, None).await.unwrap();
    assert_eq!(users.len(), 3);
    let renamed: Vec<_> = users
        .iter()
        .filter(|user| user.id != oldest.id && user.username != "bob")
        .map(|user| user.username.clone())
        .collect();
    assert_eq!(renamed.len(), 1);
    assert!(renamed[0].starts_with("ada-"), "{renamed:?}");
    let name = &renamed[0];
    assert!(
        name.len() <= 32 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "still a valid username: {name}"
    );
}

#[tokio::test]
async fn sqlite_case_duplicates_are_renamed_before_the_unique_index() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("old.sqlite").display()
    );
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    only_the_first(sqlx::migrate!("migrations/sqlite"))
        .run(&pool)
        .await
        .unwrap();
    for (id, name, at) in [(1u8, "Ada", OLDER), (2, "ada", NEWER), (3, "bob", NEWER)] {
        sqlx::query(
            "insert into users (id, username, role, created_at) values ($1, $2, 'user', $3)",
        )
        .bind(uuid::Uuid::from_bytes([id; 16]))
        .bind(name)
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
    let store = Store::connect(&url).await.expect("migration 0002 runs");
    renamed_duplicates(&store).await;
}

#[tokio::test]
async fn postgres_case_duplicates_are_renamed_before_the_unique_index() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        return;
    };
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("create schema {schema}"))
        .execute(&admin)
        .await
        .unwrap();
    let separator = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    only_the_first(sqlx::migrate!("migrations/postgres"))
        .run(&pool)
        .await
        .unwrap();
    for (id, name, at) in [(1u8, "Ada", OLDER), (2, "ada", NEWER), (3, "bob", NEWER)] {
        sqlx::query(
            "insert into users (id, username, role, created_at) values ($1, $2, 'user', $3::timestamptz)",
        )
        .bind(uuid::Uuid::from_bytes([id; 16]))
        .bind(name)
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
    let store = Store::connect(&url).await.expect("migration 0002 runs");
    renamed_duplicates(&store).await;
    store.close().await;
    sqlx::query(&format!("drop schema {schema} cascade"))
        .execute(&admin)
        .await
        .unwrap();
}

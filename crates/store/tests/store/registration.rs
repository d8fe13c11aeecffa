//! Self-service registration (first admin, invitations), case-insensitive usernames, single-use
//! tokens, revoking every key of a user, and the audit log's size bounds.

use chrono::{Duration, Utc};
use code_remote_core::Role;
use code_remote_store::{Error, NewApiKey, NewAuditEntry, NewInvitation, NewUser, Store};
use serde_json::json;

use crate::helpers::{TestDb, user};

crate::on_both_backends!(
    concurrent_first_sign_ups_make_exactly_one_admin,
    usernames_are_unique_and_found_in_any_letter_case,
    an_invitation_registers_exactly_one_account,
    a_refresh_token_is_consumed_exactly_once_under_concurrency,
    revoking_a_users_keys_leaves_other_users_keys_alone,
    audit_targets_and_details_are_truncated,
);

const RACERS: usize = 8;

fn sign_up(username: &str) -> NewUser {
    NewUser {
        username: username.into(),
        email: None,
        password_hash: Some("$argon2id$not-a-real-hash".into()),
        role: Role::User,
        oidc: None,
    }
}

async fn concurrent_first_sign_ups_make_exactly_one_admin(db: &TestDb) {
    // Independent stores (PostgreSQL: separate pools, as separate API nodes would have).
    let mut stores = Vec::new();
    for _ in 0..RACERS {
        stores.push(db.reopen().await);
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
    let racers: Vec<_> = stores
        .into_iter()
        .enumerate()
        .map(|(n, store)| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                store
                    .register_user(sign_up(&format!("racer{n}")), None)
                    .await
            })
        })
        .collect();
    let mut admins = 0;
    for racer in racers {
        let user = racer.await.unwrap().expect("every sign-up succeeds");
        admins += usize::from(user.role == Role::Admin);
    }
    assert_eq!(
        admins, 1,
        "exactly one of {RACERS} racing sign-ups is admin"
    );
    let later = db.store.register_user(sign_up("late"), None).await.unwrap();
    assert_eq!(later.role, Role::User);
}

async fn usernames_are_unique_and_found_in_any_letter_case(db: &TestDb) {
    let ada = user(&db.store, "Ada").await;
    let again = db.store.create_user(sign_up("ada")).await;
    assert!(
        matches!(again, Err(Error::Conflict { what: "username" })),
        "{again:?}"
    );
    let registered = db.store.register_user(sign_up("ADA"), None).await;
    assert!(
        matches!(registered, Err(Error::Conflict { what: "username" })),
        "{registered:?}"
    );
    for spelling in ["ada", "ADA", "Ada", "aDa"] {
        let found = db.store.user_by_username(spelling).await.unwrap();
        assert_eq!(found.map(|user| user.id), Some(ada.id), "{spelling}");
    }
}

async fn invite(store: &Store, hash: &str, expires_in: Duration) {
    store
        .create_invitation(NewInvitation {
            code_hash: hash.into(),
            created_by: None,
            expires_at: Utc::now() + expires_in,
        })
        .await
        .unwrap();
}

async fn an_invitation_registers_exactly_one_account(db: &TestDb) {
    let store = &db.store;
    invite(store, "hash-1", Duration::hours(1)).await;
    invite(store, "hash-old", Duration::seconds(-1)).await;
    user(store, "taken").await;

    // A taken username leaves the invitation unused.
    let taken = store.register_user(sign_up("TAKEN"), Some("hash-1")).await;
    assert!(matches!(taken, Err(Error::Conflict { .. })), "{taken:?}");
    let invited = store
        .register_user(sign_up("invited"), Some("hash-1"))
        .await
        .unwrap();
    assert_eq!(invited.role, Role::User, "not the first account");

    for (name, hash) in [
        ("second", "hash-1"),
        ("expired", "hash-old"),
        ("unknown", "hash-2"),
    ] {
        let refused = store.register_user(sign_up(name), Some(hash)).await;
        assert!(
            matches!(refused, Err(Error::InvitationNotValid)),
            "{name}: {refused:?}"
        );
        assert!(
            store.user_by_username(name).await.unwrap().is_none(),
            "{name} was not created"
        );
    }
    let duplicate = store
        .create_invitation(NewInvitation {
            code_hash: "hash-1".into(),
            created_by: Some(invited.id),
            expires_at: Utc::now(),
        })
        .await;
    assert!(matches!(duplicate, Err(Error::Conflict { .. })));
}

async fn a_refresh_token_is_consumed_exactly_once_under_concurrency(db: &TestDb) {
    let later = Utc::now() + Duration::hours(1);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
    let racers: Vec<_> = (0..RACERS)
        .map(|_| {
            let (store, barrier) = (db.store.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                store.consume_token("jti-raced", later).await.unwrap()
            })
        })
        .collect();
    let mut winners = 0;
    for racer in racers {
        winners += usize::from(racer.await.unwrap());
    }
    assert_eq!(winners, 1);
    assert!(!db.store.consume_token("jti-raced", later).await.unwrap());
    assert!(db.store.is_token_revoked("jti-raced").await.unwrap());
}

async fn revoking_a_users_keys_leaves_other_users_keys_alone(db: &TestDb) {
    let ada = user(&db.store, "ada").await;
    let bob = user(&db.store, "bob").await;
    for (owner, prefix) in [(&ada, "aaa1"), (&ada, "aaa2"), (&bob, "bbb1")] {
        db.store
            .create_api_key(NewApiKey {
                user_id: owner.id,
                name: "ci".into(),
                prefix: prefix.into(),
                hash: format!("hash-{prefix}"),
                expires_at: None,
            })
            .await
            .unwrap();
    }
    let first = db.store.api_key_by_prefix("aaa1").await.unwrap().unwrap();
    db.store.revoke_api_key(ada.id, first.id).await.unwrap();
    assert_eq!(db.store.revoke_api_keys_of(ada.id).await.unwrap(), 1);
    assert!(
        db.store
            .list_api_keys(ada.id)
            .await
            .unwrap()
            .iter()
            .all(|key| key.revoked_at.is_some())
    );
    let bobs = db.store.api_key_by_prefix("bbb1").await.unwrap().unwrap();
    assert_eq!(bobs.revoked_at, None);
}

async fn audit_targets_and_details_are_truncated(db: &TestDb) {
    db.store
        .audit(NewAuditEntry {
            actor: None,
            action: "auth.login_failed".into(),
            target: Some("é".repeat(100_000)),
            ip: None,
            detail: json!({ "blob": "x".repeat(100_000) }),
        })
        .await
        .unwrap();
    let entry = db.store.audit_log(1, None).await.unwrap().remove(0);
    let target = entry.target.unwrap();
    assert!(target.len() <= 64 && target.starts_with("éé"), "{target}");
    let detail = entry.detail.to_string();
    assert!(detail.len() <= 1024, "{} bytes", detail.len());
    assert!(detail.contains("truncated"), "{detail}");
}

//! Users, API keys, revoked tokens and the audit log.

use chrono::{Duration, Utc};
use code_remote_core::{Role, UserId};
use code_remote_store::{Error, NewApiKey, NewAuditEntry, NewUser, UserChange};
use serde_json::json;

use crate::helpers::{TestDb, user};

crate::on_both_backends!(
    a_new_user_reads_back_by_id_and_username,
    a_duplicate_username_is_a_conflict,
    an_oidc_identity_is_unique_and_finds_its_user,
    updating_a_user_changes_only_what_is_given,
    users_are_listed_in_pages_in_creation_order,
    api_keys_are_found_listed_and_revoked_by_their_owner_only,
    revoked_tokens_are_remembered,
    audit_entries_come_back_newest_first_in_pages,
    lookups_and_records_with_nul_characters_do_not_fail,
);

async fn a_new_user_reads_back_by_id_and_username(db: &TestDb) {
    let created = db
        .store
        .create_user(NewUser {
            username: "ada".into(),
            email: Some("ada@example.org".into()),
            password_hash: Some("hash".into()),
            role: Role::Admin,
            oidc: None,
        })
        .await
        .unwrap();
    assert_eq!(created.role, Role::Admin);
    assert!(!created.disabled);
    assert_eq!(created.token_version, 0);
    assert_eq!(
        db.store.user(created.id).await.unwrap().as_ref(),
        Some(&created)
    );
    assert_eq!(
        db.store.user_by_username("ada").await.unwrap().as_ref(),
        Some(&created)
    );
    assert_eq!(db.store.user_by_username("bob").await.unwrap(), None);
    assert_eq!(db.store.user(UserId::new()).await.unwrap(), None);
    assert_eq!(db.store.count_users().await.unwrap(), 1);
    assert!(
        !format!("{created:?}").contains("hash\""),
        "Debug must not print the hash"
    );
}

async fn a_duplicate_username_is_a_conflict(db: &TestDb) {
    user(&db.store, "ada").await;
    let again = db
        .store
        .create_user(NewUser {
            username: "ada".into(),
            email: None,
            password_hash: None,
            role: Role::User,
            oidc: None,
        })
        .await;
    assert!(
        matches!(again, Err(Error::Conflict { what: "username" })),
        "{again:?}"
    );
    assert_eq!(db.store.count_users().await.unwrap(), 1);
}

async fn an_oidc_identity_is_unique_and_finds_its_user(db: &TestDb) {
    let oidc = |username: &str| NewUser {
        username: username.into(),
        email: None,
        password_hash: None,
        role: Role::User,
        oidc: Some(("https://issuer.example".into(), "subject-1".into())),
    };
    let first = db.store.create_user(oidc("first")).await.unwrap();
    let second = db.store.create_user(oidc("second")).await;
    assert!(
        matches!(second, Err(Error::Conflict { what: "identity" })),
        "{second:?}"
    );
    let found = db
        .store
        .user_by_oidc("https://issuer.example", "subject-1")
        .await
        .unwrap();
    assert_eq!(found.map(|user| user.id), Some(first.id));
    assert_eq!(
        db.store
            .user_by_oidc("https://issuer.example", "subject-2")
            .await
            .unwrap(),
        None
    );
}

async fn updating_a_user_changes_only_what_is_given(db: &TestDb) {
    let ada = user(&db.store, "ada").await;
    let change = UserChange {
        role: Some(Role::Admin),
        bump_token_version: true,
        ..Default::default()
    };
    let changed = db.store.update_user(ada.id, change).await.unwrap().unwrap();
    assert_eq!(
        (changed.role, changed.disabled, changed.token_version),
        (Role::Admin, false, 1)
    );
    assert_eq!(changed.password_hash, ada.password_hash);

    let change = UserChange {
        disabled: Some(true),
        password_hash: Some("new".into()),
        ..Default::default()
    };
    let changed = db.store.update_user(ada.id, change).await.unwrap().unwrap();
    assert_eq!(
        (changed.role, changed.disabled, changed.token_version),
        (Role::Admin, true, 1)
    );
    assert_eq!(changed.password_hash.as_deref(), Some("new"));

    assert_eq!(
        db.store
            .update_user(UserId::new(), UserChange::default())
            .await
            .unwrap(),
        None
    );
}

async fn users_are_listed_in_pages_in_creation_order(db: &TestDb) {
    let mut created = Vec::new();
    for name in ["a", "b", "c", "d", "e"] {
        created.push(user(&db.store, name).await.id);
    }
    let first = db.store.list_users(2, None).await.unwrap();
    let second = db.store.list_users(2, Some(first[1].id)).await.unwrap();
    let third = db.store.list_users(2, Some(second[1].id)).await.unwrap();
    let listed: Vec<_> = first
        .iter()
        .chain(&second)
        .chain(&third)
        .map(|user| user.id)
        .collect();
    assert_eq!(listed, created);
    assert!(
        db.store
            .list_users(2, Some(third[0].id))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn api_keys_are_found_listed_and_revoked_by_their_owner_only(db: &TestDb) {
    let ada = user(&db.store, "ada").await;
    let bob = user(&db.store, "bob").await;
    let expires = Utc::now() + Duration::days(30);
    let new_key = |prefix: &str| NewApiKey {
        user_id: ada.id,
        name: "ci".into(),
        prefix: prefix.into(),
        hash: format!("hash-of-{prefix}"),
        expires_at: Some(expires),
    };
    let key = db.store.create_api_key(new_key("cr_abc")).await.unwrap();
    assert_eq!(
        (key.user_id, key.revoked_at, key.last_used_at),
        (ada.id, None, None)
    );
    assert_eq!(
        key.expires_at.map(|at| at.timestamp_micros()),
        Some(expires.timestamp_micros())
    );
    let duplicate = db.store.create_api_key(new_key("cr_abc")).await;
    assert!(
        matches!(
            duplicate,
            Err(Error::Conflict {
                what: "api key prefix"
            })
        ),
        "{duplicate:?}"
    );
    db.store.create_api_key(new_key("cr_def")).await.unwrap();

    assert_eq!(
        db.store.api_key_by_prefix("cr_abc").await.unwrap().as_ref(),
        Some(&key)
    );
    assert_eq!(db.store.api_key_by_prefix("cr_zzz").await.unwrap(), None);
    let prefixes: Vec<_> = db
        .store
        .list_api_keys(ada.id)
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.prefix)
        .collect();
    assert_eq!(prefixes, ["cr_abc", "cr_def"]);
    assert!(db.store.list_api_keys(bob.id).await.unwrap().is_empty());

    db.store.touch_api_key(key.id).await.unwrap();
    assert!(
        db.store
            .api_key_by_prefix("cr_abc")
            .await
            .unwrap()
            .unwrap()
            .last_used_at
            .is_some()
    );

    assert!(
        !db.store.revoke_api_key(bob.id, key.id).await.unwrap(),
        "someone else's key"
    );
    assert!(db.store.revoke_api_key(ada.id, key.id).await.unwrap());
    assert!(
        !db.store.revoke_api_key(ada.id, key.id).await.unwrap(),
        "already revoked"
    );
    assert!(
        db.store
            .api_key_by_prefix("cr_abc")
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    );
}

async fn revoked_tokens_are_remembered(db: &TestDb) {
    let later = Utc::now() + Duration::hours(1);
    assert!(!db.store.is_token_revoked("jti-1").await.unwrap());
    db.store.revoke_token("jti-1", later).await.unwrap();
    db.store.revoke_token("jti-1", later).await.unwrap();
    assert!(db.store.is_token_revoked("jti-1").await.unwrap());
    assert!(!db.store.is_token_revoked("jti-2").await.unwrap());
    // An entry whose token has expired is purged by the next revocation.
    db.store
        .revoke_token("jti-old", Utc::now() - Duration::hours(1))
        .await
        .unwrap();
    db.store.revoke_token("jti-3", later).await.unwrap();
    assert!(!db.store.is_token_revoked("jti-old").await.unwrap());
}

async fn audit_entries_come_back_newest_first_in_pages(db: &TestDb) {
    let ada = user(&db.store, "ada").await;
    for n in 0..5 {
        db.store
            .audit(NewAuditEntry {
                actor: (n % 2 == 0).then_some(ada.id),
                action: format!("action-{n}"),
                target: Some("user:bob".into()),
                ip: Some("192.0.2.1".into()),
                detail: json!({ "n": n }),
            })
            .await
            .unwrap();
    }
    let page = db.store.audit_log(3, None).await.unwrap();
    let actions: Vec<_> = page.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(actions, ["action-4", "action-3", "action-2"]);
    assert_eq!(page[0].actor, Some(ada.id));
    assert_eq!(page[1].actor, None);
    assert_eq!(page[0].detail, json!({ "n": 4 }));
    let rest = db.store.audit_log(3, Some(page[2].id)).await.unwrap();
    let actions: Vec<_> = rest.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(actions, ["action-1", "action-0"]);
}

async fn lookups_and_records_with_nul_characters_do_not_fail(db: &TestDb) {
    assert_eq!(db.store.user_by_username("ad\0a").await.unwrap(), None);
    assert_eq!(db.store.user_by_oidc("iss\0", "sub\0").await.unwrap(), None);
    assert_eq!(db.store.api_key_by_prefix("cr_\0").await.unwrap(), None);
    assert!(!db.store.is_token_revoked("jti\0").await.unwrap());
    db.store
        .audit(NewAuditEntry {
            actor: None,
            action: "login_failed".into(),
            target: Some("user:ad\0a".into()),
            ip: None,
            detail: json!({ "username": "ad\0a" }),
        })
        .await
        .unwrap();
    let logged = db.store.audit_log(1, None).await.unwrap();
    assert_eq!(logged[0].target.as_deref(), Some("user:ad\u{FFFD}a"));
    assert_eq!(
        logged[0].detail,
        json!({ "username": "ad\0a" }),
        "JSON keeps NUL escaped"
    );
}

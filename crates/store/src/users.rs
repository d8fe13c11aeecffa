//! Accounts: created with a password hash and/or an OpenID Connect identity. Usernames are
//! unique and looked up without regard to letter case (`Ada` and `ada` are one account).

use code_remote_core::UserId;
use uuid::Uuid;

use crate::{
    Error, NewUser, Result, Store, User, UserChange,
    error::is_unique_violation,
    on_pool,
    rows::{UserRow, nul_free, nul_free_opt, to_u64},
};

impl Store {
    /// Fails with `Conflict` when the username or the OIDC identity is taken.
    pub async fn create_user(&self, new: NewUser) -> Result<User> {
        const SQL: &str = r#"
            insert into users (id, username, email, password_hash, role, oidc_issuer, oidc_subject, created_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            returning *
        "#;
        let (issuer, subject) = new.oidc.clone().unzip();
        let inserted = on_pool!(self, pool => sqlx::query_as::<_, UserRow>(SQL)
            .bind(UserId::new().0)
            .bind(nul_free(&new.username))
            .bind(nul_free_opt(&new.email))
            .bind(&new.password_hash)
            .bind(new.role.as_str())
            .bind(nul_free_opt(&issuer))
            .bind(nul_free_opt(&subject))
            .bind(crate::now())
            .fetch_all(pool)
            .await
            .and_then(|rows| rows.into_iter().next().ok_or(sqlx::Error::RowNotFound)));
        match inserted {
            Ok(row) => row.try_into(),
            Err(error) if is_unique_violation(&error) => {
                let taken = self.user_by_username(&new.username).await?.is_some();
                Err(Error::Conflict {
                    what: if taken { "username" } else { "identity" },
                })
            }
            Err(error) => Err(Error::Database(error)),
        }
    }

    /// Self-service registration: like [`Store::create_user`], but the account becomes an admin
    /// when it is the very first one, and `invitation` (the SHA-256 of a code, see
    /// [`Store::create_invitation`]) is consumed in the same transaction. Fails with
    /// `InvitationNotValid` when the code is unknown, used or expired, and then creates nothing;
    /// a taken username leaves the invitation unused.
    pub async fn register_user(&self, new: NewUser, invitation: Option<&str>) -> Result<User> {
        // Serialises registrations on PostgreSQL, so the "is there any user yet?" below reads
        // every earlier registration (read committed takes a new snapshot per statement). SQLite
        // has one writer, and its statement below is the first write of the transaction.
        const LOCK: &str = r#"select pg_advisory_xact_lock(7302514061150271847)"#;
        const CLAIM: &str = r#"
            update invitations set used_at = $2
            where code_hash = $1 and used_at is null and expires_at > $2
        "#;
        // Load-bearing: the role is decided by the insert itself (A7: two racing first sign-ups
        // must not both become admins).
        const INSERT: &str = r#"
            insert into users (id, username, email, password_hash, role, created_at)
            values ($1, $2, $3, $4,
                    case when exists (select 1 from users) then cast($5 as text) else 'admin' end,
                    $6)
            returning *
        "#;
        const MARK: &str = r#"update invitations set used_by = $2 where code_hash = $1"#;
        let id = UserId::new();
        let postgres = matches!(self, Store::Postgres(_));
        let inserted: std::result::Result<Option<UserRow>, sqlx::Error> = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query(LOCK).execute(&mut *tx).await?;
            }
            if let Some(code_hash) = invitation {
                let claimed = sqlx::query(CLAIM)
                    .bind(nul_free(code_hash))
                    .bind(crate::now())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if claimed != 1 {
                    return Ok(None);
                }
            }
            let row = sqlx::query_as::<_, UserRow>(INSERT)
                .bind(id.0)
                .bind(nul_free(&new.username))
                .bind(nul_free_opt(&new.email))
                .bind(&new.password_hash)
                .bind(new.role.as_str())
                .bind(crate::now())
                .fetch_one(&mut *tx)
                .await?;
            if let Some(code_hash) = invitation {
                sqlx::query(MARK).bind(nul_free(code_hash)).bind(id.0).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(Some(row))
        }.await);
        match inserted {
            Ok(Some(row)) => row.try_into(),
            Ok(None) => Err(Error::InvitationNotValid),
            Err(error) if is_unique_violation(&error) => Err(Error::Conflict { what: "username" }),
            Err(error) => Err(Error::Database(error)),
        }
    }

    pub async fn user(&self, id: UserId) -> Result<Option<User>> {
        const SQL: &str = r#"select * from users where id = $1"#;
        let row = on_pool!(self, read pool => sqlx::query_as::<_, UserRow>(SQL).bind(id.0).fetch_optional(pool).await?);
        row.map(User::try_from).transpose()
    }

    /// The account with this username, in any letter case.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        // `lower(username)` is what the unique index covers (migration 0002).
        const SQL: &str = r#"select * from users where lower(username) = lower($1)"#;
        let row = on_pool!(self, read pool => sqlx::query_as::<_, UserRow>(SQL).bind(nul_free(username)).fetch_optional(pool).await?);
        row.map(User::try_from).transpose()
    }

    pub async fn user_by_oidc(&self, issuer: &str, subject: &str) -> Result<Option<User>> {
        const SQL: &str = r#"select * from users where oidc_issuer = $1 and oidc_subject = $2"#;
        let row = on_pool!(self, read pool => sqlx::query_as::<_, UserRow>(SQL)
            .bind(nul_free(issuer))
            .bind(nul_free(subject))
            .fetch_optional(pool)
            .await?);
        row.map(User::try_from).transpose()
    }

    pub async fn count_users(&self) -> Result<u64> {
        const SQL: &str = r#"select count(*) from users"#;
        let count: i64 =
            on_pool!(self, read pool => sqlx::query_scalar(SQL).fetch_one(pool).await?);
        Ok(to_u64(count))
    }

    /// Users in creation order, `limit` at a time (at most [`crate::MAX_PAGE`]), starting after
    /// the user `after`.
    pub async fn list_users(&self, limit: u32, after: Option<UserId>) -> Result<Vec<User>> {
        const SQL: &str = r#"
            select * from users
            where ($1 is null or id > $1)
            order by id
            limit $2
        "#;
        let after: Option<Uuid> = after.map(|id| id.0);
        let rows = on_pool!(self, read pool => sqlx::query_as::<_, UserRow>(SQL)
            .bind(after)
            .bind(i64::from(limit.clamp(1, crate::MAX_PAGE)))
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(User::try_from).collect()
    }

    /// Applies `change`; `None` when no such user exists.
    pub async fn update_user(&self, id: UserId, change: UserChange) -> Result<Option<User>> {
        const SQL: &str = r#"
            update users set
                role = coalesce($2, role),
                disabled = coalesce($3, disabled),
                password_hash = coalesce($4, password_hash),
                token_version = token_version + $5
            where id = $1
            returning *
        "#;
        let row = on_pool!(self, pool => sqlx::query_as::<_, UserRow>(SQL)
            .bind(id.0)
            .bind(change.role.map(|role| role.as_str()))
            .bind(change.disabled)
            .bind(&change.password_hash)
            .bind(i64::from(change.bump_token_version))
            .fetch_all(pool)
            .await?
            .pop());
        row.map(User::try_from).transpose()
    }
}

//! API keys (only their hashes are stored) and revoked token ids.

use chrono::{DateTime, Utc};
use code_remote_core::UserId;
use uuid::Uuid;

use crate::{
    ApiKey, NewApiKey, Result, Store,
    error::conflict_on,
    on_pool,
    rows::{ApiKeyRow, nul_free},
};

impl Store {
    /// Fails with `Conflict` when another key has the same prefix.
    pub async fn create_api_key(&self, key: NewApiKey) -> Result<ApiKey> {
        const SQL: &str = r#"
            insert into api_keys (id, user_id, name, prefix, hash, created_at, expires_at)
            values ($1, $2, $3, $4, $5, $6, $7)
            returning *
        "#;
        let row = on_pool!(self, pool => sqlx::query_as::<_, ApiKeyRow>(SQL)
            .bind(Uuid::now_v7())
            .bind(key.user_id.0)
            .bind(nul_free(&key.name))
            .bind(nul_free(&key.prefix))
            .bind(nul_free(&key.hash))
            .bind(crate::now())
            .bind(key.expires_at)
            .fetch_all(pool)
            .await
            .and_then(|rows| rows.into_iter().next().ok_or(sqlx::Error::RowNotFound))
            .map_err(conflict_on("api key prefix"))?);
        Ok(row.into())
    }

    /// The key with this prefix, revoked and expired ones included: the caller decides.
    pub async fn api_key_by_prefix(&self, prefix: &str) -> Result<Option<ApiKey>> {
        const SQL: &str = r#"select * from api_keys where prefix = $1"#;
        let row = on_pool!(self, read pool => sqlx::query_as::<_, ApiKeyRow>(SQL).bind(nul_free(prefix)).fetch_optional(pool).await?);
        Ok(row.map(ApiKey::from))
    }

    /// A user's keys, oldest first.
    pub async fn list_api_keys(&self, user: UserId) -> Result<Vec<ApiKey>> {
        const SQL: &str = r#"select * from api_keys where user_id = $1 order by created_at, id"#;
        let rows = on_pool!(self, read pool => sqlx::query_as::<_, ApiKeyRow>(SQL).bind(user.0).fetch_all(pool).await?);
        Ok(rows.into_iter().map(ApiKey::from).collect())
    }

    /// Revokes one of `user`'s keys; `false` if it is not theirs, unknown or revoked already.
    pub async fn revoke_api_key(&self, user: UserId, id: Uuid) -> Result<bool> {
        const SQL: &str = r#"
            update api_keys set revoked_at = $3
            where id = $1 and user_id = $2 and revoked_at is null
        "#;
        let done = on_pool!(self, pool => sqlx::query(SQL)
            .bind(id)
            .bind(user.0)
            .bind(crate::now())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(done > 0)
    }

    /// Revokes every active key of `user` (after a password change); how many were revoked.
    pub async fn revoke_api_keys_of(&self, user: UserId) -> Result<u64> {
        const SQL: &str = r#"
            update api_keys set revoked_at = $2
            where user_id = $1 and revoked_at is null
        "#;
        let done = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user.0)
            .bind(crate::now())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(done)
    }

    /// Records that a key was just used.
    pub async fn touch_api_key(&self, id: Uuid) -> Result<()> {
        const SQL: &str = r#"update api_keys set last_used_at = $2 where id = $1"#;
        on_pool!(self, pool => {
            sqlx::query(SQL).bind(id).bind(crate::now()).execute(pool).await?;
        });
        Ok(())
    }

    /// Remembers a token id as revoked until the token would have expired anyway.
    pub async fn revoke_token(&self, jti: &str, expires_at: DateTime<Utc>) -> Result<()> {
        self.consume_token(jti, expires_at).await.map(|_| ())
    }

    /// Revokes a token id and says whether this call did it: `false` when it was revoked
    /// already. Of several concurrent calls for one id exactly one gets `true` (the insert into
    /// the primary key decides), which makes single-use tokens single-use.
    pub async fn consume_token(&self, jti: &str, expires_at: DateTime<Utc>) -> Result<bool> {
        const INSERT: &str = r#"
            insert into revoked_tokens (jti, expires_at) values ($1, $2)
            on conflict (jti) do nothing
        "#;
        // Entries past their token's expiry protect nothing any more.
        const PURGE: &str = r#"delete from revoked_tokens where expires_at < $1"#;
        let inserted = on_pool!(self, pool => {
            let inserted = sqlx::query(INSERT)
                .bind(nul_free(jti))
                .bind(expires_at)
                .execute(pool)
                .await?
                .rows_affected();
            sqlx::query(PURGE).bind(crate::now()).execute(pool).await?;
            inserted
        });
        Ok(inserted == 1)
    }

    pub async fn is_token_revoked(&self, jti: &str) -> Result<bool> {
        const SQL: &str = r#"select count(*) from revoked_tokens where jti = $1"#;
        let count: i64 = on_pool!(self, read pool => sqlx::query_scalar(SQL).bind(nul_free(jti)).fetch_one(pool).await?);
        Ok(count > 0)
    }
}

//! Single-use invitation codes for servers whose registration mode is `invite`. Only a hash of
//! each code is stored; [`Store::register_user`] consumes one atomically with the new account.

use chrono::{DateTime, Utc};
use code_remote_core::UserId;
use uuid::Uuid;

use crate::{Result, Store, error::conflict_on, on_pool, rows::nul_free};

/// An invitation to store: the SHA-256 of its code, who made it and until when it works.
#[derive(Clone, Debug)]
pub struct NewInvitation {
    pub code_hash: String,
    /// `None` when created from the command line.
    pub created_by: Option<UserId>,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Fails with `Conflict` when the same code hash exists already.
    pub async fn create_invitation(&self, invitation: NewInvitation) -> Result<()> {
        const SQL: &str = r#"
            insert into invitations (code_hash, created_by, created_at, expires_at)
            values ($1, $2, $3, $4)
        "#;
        let created_by: Option<Uuid> = invitation.created_by.map(|id| id.0);
        on_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(nul_free(&invitation.code_hash))
                .bind(created_by)
                .bind(crate::now())
                .bind(invitation.expires_at)
                .execute(pool)
                .await
                .map_err(conflict_on("invitation"))?;
        });
        Ok(())
    }
}

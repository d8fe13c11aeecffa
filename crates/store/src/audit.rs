//! The audit log of security events (logins, key changes, role changes), newest first.

use crate::{
    AuditEntry, Error, NewAuditEntry, Result, Store, on_pool,
    rows::{AuditRow, nul_free, nul_free_opt},
};

impl Store {
    pub async fn audit(&self, entry: NewAuditEntry) -> Result<()> {
        const SQL: &str = r#"
            insert into audit_log (at, actor, action, target, ip, detail)
            values ($1, $2, $3, $4, $5, $6)
        "#;
        let detail = serde_json::to_string(&entry.detail).map_err(|source| Error::Encode {
            what: "audit detail",
            source,
        })?;
        on_pool!(self, pool => {
            sqlx::query(SQL)
            .bind(crate::now())
            .bind(entry.actor.map(|id| id.0))
            .bind(nul_free(&entry.action))
            .bind(nul_free_opt(&entry.target))
            .bind(nul_free_opt(&entry.ip))
            .bind(detail)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Up to `limit` entries (at most [`crate::MAX_PAGE`]), newest first, older than the entry
    /// `before` when given.
    pub async fn audit_log(&self, limit: u32, before: Option<i64>) -> Result<Vec<AuditEntry>> {
        const SQL: &str = r#"
            select * from audit_log
            where ($1 is null or id < $1)
            order by id desc
            limit $2
        "#;
        let rows = on_pool!(self, read pool => sqlx::query_as::<_, AuditRow>(SQL)
            .bind(before)
            .bind(i64::from(limit.clamp(1, crate::MAX_PAGE)))
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(AuditEntry::try_from).collect()
    }
}

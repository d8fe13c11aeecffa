//! The audit log of security events (logins, key changes, role changes), newest first.

use crate::{
    AuditEntry, Error, NewAuditEntry, Result, Store, on_pool,
    rows::{AuditRow, nul_free, nul_free_opt},
};

/// Longest `target` kept, in bytes: the audit log must not store what an attacker sends (A1).
const MAX_AUDIT_TARGET_BYTES: usize = 64;
/// Longest `detail` kept, as JSON text; a longer one is replaced by a truncated string of it.
const MAX_AUDIT_DETAIL_BYTES: usize = 1024;

/// `text` cut to at most `max` bytes, at a character boundary.
fn truncated(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Store {
    pub async fn audit(&self, entry: NewAuditEntry) -> Result<()> {
        const SQL: &str = r#"
            insert into audit_log (at, actor, action, target, ip, detail)
            values ($1, $2, $3, $4, $5, $6)
        "#;
        let encode = |value: &serde_json::Value| {
            serde_json::to_string(value).map_err(|source| Error::Encode {
                what: "audit detail",
                source,
            })
        };
        let mut detail = encode(&entry.detail)?;
        if detail.len() > MAX_AUDIT_DETAIL_BYTES {
            let cut = truncated(&detail, MAX_AUDIT_DETAIL_BYTES / 2).to_owned();
            detail = encode(&serde_json::json!({ "truncated": cut }))?;
        }
        let target = entry
            .target
            .as_deref()
            .map(|target| truncated(target, MAX_AUDIT_TARGET_BYTES).to_owned());
        on_pool!(self, pool => {
            sqlx::query(SQL)
            .bind(crate::now())
            .bind(entry.actor.map(|id| id.0))
            .bind(nul_free(&entry.action))
            .bind(nul_free_opt(&target))
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

//! Files a run handed back: the bytes in the `artifacts` table (deleted with their job by
//! `on delete cascade`), and their list on the job's row, where every read of an execution
//! finds it without another query.
//!
//! This module does not check who may read an artifact: the API does.

use code_remote_core::{ArtifactInfo, JobId};

use crate::{
    Error, Result, Store, on_pool,
    rows::{to_i64, to_u64},
};

/// One file to store.
#[derive(Clone, Debug)]
pub struct NewArtifact {
    pub info: ArtifactInfo,
    pub data: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct ArtifactRow {
    name: String,
    media_type: String,
    size_bytes: i64,
    sha256: String,
    data: Vec<u8>,
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|source| Error::Encode {
        what: "artifact list",
        source,
    })
}

impl Store {
    /// Stores the artifacts of a running job, replacing those of an earlier attempt, if
    /// `worker_id` still holds its lease; `false` (and nothing stored) when it does not.
    /// One transaction: the list on the job's row always matches the stored files.
    pub async fn save_artifacts(
        &self,
        job: JobId,
        worker_id: &str,
        files: &[NewArtifact],
        skipped: &[String],
    ) -> Result<bool> {
        const LIST: &str = r#"
            update jobs set artifacts = $3, artifacts_skipped = $4
            where id = $1 and status = 'running' and lease_owner = $2
        "#;
        const CLEAR: &str = r#"delete from artifacts where job_id = $1"#;
        const INSERT: &str = r#"
            insert into artifacts (job_id, name, media_type, size_bytes, sha256, data)
            values ($1, $2, $3, $4, $5, $6)
        "#;
        let infos: Vec<&ArtifactInfo> = files.iter().map(|f| &f.info).collect();
        let (list, skipped) = (to_json(&infos)?, to_json(&skipped)?);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let held = sqlx::query(LIST)
                .bind(job.0)
                .bind(worker_id)
                .bind(&list)
                .bind(&skipped)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if !held {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(CLEAR).bind(job.0).execute(&mut *tx).await?;
            for file in files {
                sqlx::query(INSERT)
                    .bind(job.0)
                    .bind(&file.info.name)
                    .bind(&file.info.media_type)
                    .bind(to_i64(file.info.size_bytes))
                    .bind(&file.info.sha256)
                    .bind(&file.data)
                    .execute(&mut *tx)
                    .await
                    .map_err(crate::error::conflict_on("artifact name"))?;
            }
            tx.commit().await?;
        });
        Ok(true)
    }

    /// One artifact of a job, with its bytes.
    pub async fn artifact(
        &self,
        job: JobId,
        name: &str,
    ) -> Result<Option<(ArtifactInfo, Vec<u8>)>> {
        const SQL: &str = r#"
            select name, media_type, size_bytes, sha256, data from artifacts
            where job_id = $1 and name = $2
        "#;
        let row = on_pool!(self, read pool => sqlx::query_as::<_, ArtifactRow>(SQL)
            .bind(job.0)
            .bind(name)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|row| {
            let info = ArtifactInfo {
                name: row.name,
                media_type: row.media_type,
                size_bytes: to_u64(row.size_bytes),
                sha256: row.sha256,
            };
            (info, row.data)
        }))
    }

    /// How many artifacts are stored for `job` (their list is on the execution).
    pub async fn artifact_count(&self, job: JobId) -> Result<u64> {
        const SQL: &str = r#"select count(*) from artifacts where job_id = $1"#;
        let count: i64 =
            on_pool!(self, read pool => sqlx::query_scalar(SQL).bind(job.0).fetch_one(pool).await?);
        Ok(to_u64(count))
    }
}

//! The history: executions newest first as [`ExecutionListItem`]s. The big columns (code,
//! stdin, stdout, stderr, test cases and results) are measured, previewed or counted by the
//! database and never sent: a page stays small whatever the runs printed.

use chrono::{DateTime, Utc};
use code_remote_core::{ExecutionListItem, JobId, JobStatus, UserId, code_preview};
use uuid::Uuid;

use crate::{
    Error, JobPage, JobQuery, Result, Store, cursor,
    rows::{corrupt, to_u64},
};

use super::MAX_PAGE;

/// Characters of a program read to find its preview line (comments and blank lines first are
/// skipped within them).
const PREVIEW_HEAD_CHARS: i64 = 1024;

/// `$1` user or null for everyone, `$2`/`$3` the cursor's position, `$4` the row count, `$5`
/// [`PREVIEW_HEAD_CHARS`]. SQLite measures text in bytes through a cast to blob.
const SQLITE: &str = r#"
    select id, user_id, status, substr(code, 1, $5) as code_head,
           length(cast(code as blob)) as code_bytes,
           length(cast(stdin as blob)) as stdin_bytes,
           length(cast(stdout as blob)) as stdout_bytes,
           length(cast(stderr as blob)) as stderr_bytes,
           exit_code, signal, wall_time_ms, cpu_time_ms, peak_memory_kib,
           coalesce(json_array_length(tests, '$.cases'), 0) as test_count,
           case when tests is null then 0 else (
               select count(*) from json_each(result)
               where json_extract(value, '$.verdict') = 'accepted'
           ) end as tests_passed,
           json_array_length(artifacts) as artifact_count,
           created_at, started_at, finished_at
    from jobs
    where kind = 'execution'
      and ($1 is null or user_id = $1)
      and ($2 is null or created_at < $2 or (created_at = $2 and id < $3))
    order by created_at desc, id desc
    limit $4
"#;

/// As [`SQLITE`]; `octet_length` reads a stored value's size without fetching it.
const POSTGRES: &str = r#"
    select id, user_id, status, substr(code, 1, cast($5 as integer)) as code_head,
           cast(octet_length(code) as bigint) as code_bytes,
           cast(octet_length(stdin) as bigint) as stdin_bytes,
           cast(octet_length(stdout) as bigint) as stdout_bytes,
           cast(octet_length(stderr) as bigint) as stderr_bytes,
           exit_code, signal, wall_time_ms, cpu_time_ms, peak_memory_kib,
           cast(coalesce(json_array_length(tests::json -> 'cases'), 0) as bigint) as test_count,
           case when tests is null then 0 else (
               select count(*) from json_array_elements(result::json) as test
               where test ->> 'verdict' = 'accepted'
           ) end as tests_passed,
           cast(json_array_length(artifacts::json) as bigint) as artifact_count,
           created_at, started_at, finished_at
    from jobs
    where kind = 'execution'
      and ($1::uuid is null or user_id = $1)
      and ($2::timestamptz is null or created_at < $2 or (created_at = $2 and id < $3))
    order by created_at desc, id desc
    limit $4
"#;

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    user_id: Uuid,
    status: String,
    code_head: String,
    code_bytes: i64,
    stdin_bytes: i64,
    stdout_bytes: i64,
    stderr_bytes: i64,
    exit_code: Option<i64>,
    signal: Option<i64>,
    wall_time_ms: Option<i64>,
    cpu_time_ms: Option<i64>,
    peak_memory_kib: Option<i64>,
    test_count: i64,
    tests_passed: i64,
    artifact_count: i64,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
}

impl TryFrom<ListRow> for ExecutionListItem {
    type Error = Error;
    fn try_from(row: ListRow) -> Result<ExecutionListItem> {
        let small = |value: Option<i64>| {
            value
                .map(|v| i32::try_from(v).map_err(|e| corrupt("jobs", e)))
                .transpose()
        };
        let count = |value: i64| u32::try_from(value).unwrap_or(u32::MAX);
        Ok(ExecutionListItem {
            id: JobId(row.id),
            user_id: UserId(row.user_id),
            status: row
                .status
                .parse::<JobStatus>()
                .map_err(|e| corrupt("jobs", e))?,
            code_preview: code_preview(&row.code_head),
            code_bytes: to_u64(row.code_bytes),
            stdin_bytes: to_u64(row.stdin_bytes),
            stdout_bytes: to_u64(row.stdout_bytes),
            stderr_bytes: to_u64(row.stderr_bytes),
            exit_code: small(row.exit_code)?,
            signal: small(row.signal)?,
            wall_time_ms: row.wall_time_ms.map(to_u64),
            cpu_time_ms: row.cpu_time_ms.map(to_u64),
            peak_memory_kib: row.peak_memory_kib.map(to_u64),
            test_count: count(row.test_count),
            tests_passed: count(row.tests_passed),
            artifact_count: count(row.artifact_count),
            created_at: row.created_at,
            started_at: row.started_at,
            finished_at: row.finished_at,
        })
    }
}

impl Store {
    /// Executions newest first, one page at a time (`limit` is clamped to 1..=[`MAX_PAGE`]),
    /// without their code, stdin and output (`Store::job` has those). Jobs of other kinds
    /// (measurements) are not listed: they are part of an analysis.
    pub async fn list_jobs(&self, query: JobQuery) -> Result<JobPage> {
        let limit = query.limit.clamp(1, MAX_PAGE);
        let position = query.cursor.as_deref().map(cursor::decode).transpose()?;
        let (after_at, after_id): (Option<DateTime<Utc>>, Option<Uuid>) =
            position.map(|(at, id)| (at, id.0)).unzip();
        let user: Option<Uuid> = query.user.map(|user| user.0);
        macro_rules! list {
            ($sql:expr, $pool:expr) => {
                sqlx::query_as::<_, ListRow>($sql)
                    .bind(user)
                    .bind(after_at)
                    .bind(after_id)
                    // One more than asked tells whether another page follows.
                    .bind(i64::from(limit) + 1)
                    .bind(PREVIEW_HEAD_CHARS)
                    .fetch_all($pool)
                    .await?
            };
        }
        let rows = match self {
            Store::Sqlite(store) => list!(SQLITE, &store.reader),
            Store::Postgres(store) => list!(POSTGRES, &store.pool),
        };
        let mut items = rows
            .into_iter()
            .map(ExecutionListItem::try_from)
            .collect::<Result<Vec<_>>>()?;
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        let next_cursor = match items.last() {
            Some(last) if more => Some(cursor::encode(last.created_at, last.id)),
            _ => None,
        };
        Ok(JobPage { items, next_cursor })
    }
}

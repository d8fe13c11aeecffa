//! Listing jobs newest first with opaque cursors.

use std::collections::HashSet;

use code_remote_core::{
    CODE_PREVIEW_CHARS, Compare, JobId, JobStatus, Outcome, TestCase, TestResult, TestSuite,
    Verdict,
};
use code_remote_store::{Error, JobQuery};

use crate::helpers::{NO_CAPS, TestDb, someone, spec, worker};

crate::on_both_backends!(
    pages_cover_a_users_jobs_newest_first_without_gaps_or_duplicates,
    without_a_user_every_job_is_listed,
    a_malformed_cursor_is_refused,
    the_owner_and_status_of_a_job_are_read_alone,
    the_history_lists_summaries_without_code_or_output,
);

async fn all_pages(db: &TestDb, query: JobQuery) -> (Vec<JobId>, usize) {
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut query = query;
    loop {
        let page = db.store.list_jobs(query.clone()).await.unwrap();
        pages += 1;
        assert!(page.items.len() <= query.limit as usize);
        ids.extend(page.items.iter().map(|execution| execution.id));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => return (ids, pages),
        }
    }
}

async fn pages_cover_a_users_jobs_newest_first_without_gaps_or_duplicates(db: &TestDb) {
    let (ada, bob) = (someone(), someone());
    let mut adas = Vec::new();
    for n in 0..11 {
        adas.push(db.store.enqueue(ada, &spec("1"), NO_CAPS).await.unwrap().id);
        if n % 3 == 0 {
            db.store.enqueue(bob, &spec("1"), NO_CAPS).await.unwrap();
        }
    }
    adas.reverse();
    let (listed, pages) = all_pages(
        db,
        JobQuery {
            user: Some(ada),
            limit: 4,
            cursor: None,
        },
    )
    .await;
    assert_eq!(listed, adas, "newest first, every job once, no one else's");
    assert_eq!(pages, 3);
    let (exact, pages) = all_pages(
        db,
        JobQuery {
            user: Some(ada),
            limit: 11,
            cursor: None,
        },
    )
    .await;
    assert_eq!((exact.len(), pages), (11, 1), "no empty last page");
}

async fn without_a_user_every_job_is_listed(db: &TestDb) {
    let mut all = HashSet::new();
    for _ in 0..7 {
        all.insert(
            db.store
                .enqueue(someone(), &spec("1"), NO_CAPS)
                .await
                .unwrap()
                .id,
        );
    }
    let (listed, _) = all_pages(
        db,
        JobQuery {
            user: None,
            limit: 3,
            cursor: None,
        },
    )
    .await;
    assert_eq!(listed.len(), 7);
    assert_eq!(listed.into_iter().collect::<HashSet<_>>(), all);
}

async fn a_malformed_cursor_is_refused(db: &TestDb) {
    for cursor in ["garbage", "", "MTIz"] {
        let query = JobQuery {
            user: None,
            limit: 10,
            cursor: Some(cursor.into()),
        };
        let refused = db.store.list_jobs(query).await;
        assert!(
            matches!(refused, Err(Error::BadCursor)),
            "{cursor:?}: {refused:?}"
        );
    }
}

async fn the_owner_and_status_of_a_job_are_read_alone(db: &TestDb) {
    let owner = someone();
    let job = db
        .store
        .enqueue(owner, &spec("print(1)"), NO_CAPS)
        .await
        .unwrap();
    assert_eq!(
        db.store.job_owner(job.id).await.unwrap(),
        Some((owner, JobStatus::Queued))
    );
    assert_eq!(db.store.job_owner(JobId::new()).await.unwrap(), None);
}

fn test_result(verdict: Verdict) -> TestResult {
    TestResult {
        name: "t".into(),
        verdict,
        stdout: "x".repeat(1000),
        stderr: String::new(),
        stdout_truncated: false,
        stderr_truncated: false,
        exit_code: Some(0),
        signal: None,
        time_ms: 5,
        cpu_time_ms: 4,
        peak_memory_kib: 900,
    }
}

async fn the_history_lists_summaries_without_code_or_output(db: &TestDb) {
    const RUNS: usize = 20;
    const OUTPUT_BYTES: usize = 64 * 1024;
    let owner = someone();
    let code = format!(
        "# a header\n\nprint('é' * 3)  {}\n",
        "#".repeat(OUTPUT_BYTES)
    );
    let mut judged = spec(&code);
    judged.stdin = "s".repeat(OUTPUT_BYTES);
    judged.tests = Some(TestSuite {
        compare: Compare::default(),
        cases: vec![
            TestCase {
                name: None,
                stdin: "i".repeat(OUTPUT_BYTES),
                expected_output: "1".into(),
            };
            3
        ],
    });
    for _ in 0..RUNS {
        db.store.enqueue(owner, &judged, NO_CAPS).await.unwrap();
        let claimed = db
            .store
            .claim(&worker("w", 60_000, 0))
            .await
            .unwrap()
            .unwrap();
        let outcome = Outcome {
            exit_code: Some(1),
            stdout: "o".repeat(OUTPUT_BYTES),
            stderr: "é".repeat(OUTPUT_BYTES / 2),
            wall_time_ms: 12,
            cpu_time_ms: 10,
            peak_memory_kib: 2048,
            ..Outcome::default()
        };
        let results = [Verdict::Accepted, Verdict::WrongAnswer, Verdict::Accepted].map(test_result);
        let results = serde_json::to_string(&results).unwrap();
        db.store
            .complete_and_publish(
                claimed.execution.id,
                "w",
                JobStatus::Failed,
                &outcome,
                Some(&results),
            )
            .await
            .unwrap()
            .expect("the worker holds the job");
    }
    let page = db
        .store
        .list_jobs(JobQuery {
            user: Some(owner),
            limit: RUNS as u32,
            cursor: None,
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), RUNS);
    let item = &page.items[0];
    let full = db.store.job(item.id).await.unwrap().unwrap();
    assert_eq!(item.status, JobStatus::Failed);
    assert!(
        item.code_preview.starts_with("print('é' * 3)  ###"),
        "{}",
        item.code_preview
    );
    assert_eq!(item.code_preview.chars().count(), CODE_PREVIEW_CHARS);
    assert_eq!(
        (
            item.code_bytes,
            item.stdin_bytes,
            item.stdout_bytes,
            item.stderr_bytes
        ),
        (
            full.code.len() as u64,
            full.stdin.len() as u64,
            full.stdout.len() as u64,
            full.stderr.len() as u64
        ),
        "sizes in bytes, not characters"
    );
    assert_eq!(item.stderr_bytes, OUTPUT_BYTES as u64);
    assert_eq!((item.test_count, item.tests_passed), (3, 2));
    assert_eq!(
        (
            item.exit_code,
            item.wall_time_ms,
            item.cpu_time_ms,
            item.peak_memory_kib
        ),
        (Some(1), Some(12), Some(10), Some(2048))
    );
    assert_eq!(
        (item.created_at, item.finished_at),
        (full.created_at, full.finished_at)
    );
    // The bound: a page of twenty runs, each with hundreds of kilobytes of code, input, test cases
    // and output, is a few kilobytes.
    let json = serde_json::to_string(&page.items).unwrap();
    assert!(
        json.len() < 20 * 1024,
        "a history page is {} bytes",
        json.len()
    );
    for absent in [
        "\"code\"",
        "\"stdin\"",
        "\"stdout\"",
        "\"stderr\"",
        "ooooo",
        "sssss",
    ] {
        assert!(!json.contains(absent), "{absent} is not in a history page");
    }
}

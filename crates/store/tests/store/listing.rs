//! Listing jobs newest first with opaque cursors.

use std::collections::HashSet;

use code_remote_core::JobId;
use code_remote_store::{Error, JobQuery};

use crate::helpers::{NO_CAPS, TestDb, someone, spec};

crate::on_both_backends!(
    pages_cover_a_users_jobs_newest_first_without_gaps_or_duplicates,
    without_a_user_every_job_is_listed,
    a_malformed_cursor_is_refused,
    the_owner_and_status_of_a_job_are_read_alone,
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
        Some((owner, code_remote_core::JobStatus::Queued))
    );
    assert_eq!(db.store.job_owner(JobId::new()).await.unwrap(), None);
}

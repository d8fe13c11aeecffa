//! Stored job events: appended with caller-assigned sequence numbers, read back in order.

use code_remote_core::Outcome;
use code_remote_core::{JobEvent, JobId, JobStatus, Stream};
use code_remote_store::Error;

use crate::helpers::{NO_CAPS, TestDb, someone, spec, worker};

crate::on_both_backends!(
    events_come_back_in_order_after_a_sequence_number,
    a_repeated_sequence_number_is_a_conflict,
    pruning_drops_only_events_of_jobs_finished_before_the_cutoff,
);

fn output(job_id: JobId, seq: u64, data: &str) -> JobEvent {
    JobEvent::Output {
        job_id,
        seq,
        stream: Stream::Stdout,
        data: data.into(),
    }
}

async fn events_come_back_in_order_after_a_sequence_number(db: &TestDb) {
    let (job, other) = (JobId::new(), JobId::new());
    assert_eq!(db.store.last_seq(job).await.unwrap(), 0);
    assert!(db.store.events_since(job, 0).await.unwrap().is_empty());
    let status = JobEvent::Status {
        job_id: job,
        seq: 1,
        status: JobStatus::Running,
    };
    db.store
        .append_events(job, std::slice::from_ref(&status))
        .await
        .unwrap();
    // Appended out of order and with a large body: read back by seq.
    let big = "x".repeat(100_000);
    let batch = [
        output(job, 3, "b"),
        output(job, 2, &big),
        output(job, 4, "c\n\"ü\""),
    ];
    db.store.append_events(job, &batch).await.unwrap();
    db.store
        .append_events(other, &[output(other, 1, "elsewhere")])
        .await
        .unwrap();

    let all = db.store.events_since(job, 0).await.unwrap();
    let seqs: Vec<_> = all.iter().map(JobEvent::seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    assert_eq!(all[0], status);
    assert_eq!(all[1], batch[1]);
    assert_eq!(all[3], batch[2]);
    let later: Vec<_> = db
        .store
        .events_since(job, 2)
        .await
        .unwrap()
        .iter()
        .map(JobEvent::seq)
        .collect();
    assert_eq!(later, [3, 4]);
    assert_eq!(db.store.last_seq(job).await.unwrap(), 4);
    assert_eq!(db.store.last_seq(other).await.unwrap(), 1);
}

async fn a_repeated_sequence_number_is_a_conflict(db: &TestDb) {
    let job = JobId::new();
    db.store
        .append_events(job, &[output(job, 1, "a")])
        .await
        .unwrap();
    let again = db
        .store
        .append_events(job, &[output(job, 2, "b"), output(job, 1, "again")])
        .await;
    assert!(
        matches!(
            again,
            Err(Error::Conflict {
                what: "event sequence number"
            })
        ),
        "{again:?}"
    );
    let kept: Vec<_> = db.store.events_since(job, 0).await.unwrap();
    assert_eq!(kept, [output(job, 1, "a")], "a failed batch stores nothing");
}

async fn pruning_drops_only_events_of_jobs_finished_before_the_cutoff(db: &TestDb) {
    let finished = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    let running = db
        .store
        .enqueue(someone(), &spec("2"), NO_CAPS)
        .await
        .unwrap()
        .id;
    db.store
        .claim(&worker("w", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    db.store
        .claim(&worker("w", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    for job in [finished, running] {
        db.store
            .append_events(job, &[output(job, 1, "a"), output(job, 2, "b")])
            .await
            .unwrap();
    }
    db.store
        .complete(finished, "w", JobStatus::Succeeded, &Outcome::default())
        .await
        .unwrap()
        .unwrap();
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    assert_eq!(db.store.prune_events(past).await.unwrap(), 0);
    let future = chrono::Utc::now() + chrono::Duration::seconds(1);
    assert_eq!(db.store.prune_events(future).await.unwrap(), 2);
    assert!(db.store.events_since(finished, 0).await.unwrap().is_empty());
    assert_eq!(
        db.store.last_seq(running).await.unwrap(),
        2,
        "a running job keeps its events"
    );
}

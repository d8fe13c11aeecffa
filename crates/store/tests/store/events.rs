//! Stored job events: appended with caller-assigned sequence numbers or numbered by the store,
//! read back in order.

use code_remote_core::Outcome;
use code_remote_core::{JobEvent, JobId, JobStatus, Stream};
use code_remote_store::Error;

use crate::helpers::{NO_CAPS, TestDb, someone, spec, worker};

crate::on_both_backends!(
    events_come_back_in_order_after_a_sequence_number,
    a_repeated_sequence_number_is_a_conflict,
    pruning_drops_only_events_of_jobs_finished_before_the_cutoff,
    concurrent_publishers_of_one_job_get_one_gap_free_sequence,
    the_result_and_the_final_event_are_stored_together,
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
    let running = db.running_job("2").await;
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

async fn concurrent_publishers_of_one_job_get_one_gap_free_sequence(db: &TestDb) {
    const PUBLISHERS: usize = 6;
    const BATCHES: usize = 15;
    let job = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap()
        .id;
    let mut tasks = Vec::new();
    for publisher in 0..PUBLISHERS {
        // Half of them through another node's connections (PostgreSQL: other sessions).
        let store = if publisher % 2 == 0 {
            db.store.clone()
        } else {
            db.another_node().await
        };
        tasks.push(tokio::spawn(async move {
            for batch in 0..BATCHES {
                // Batches of one and of two events; the seq they carry is ignored.
                let events: Vec<_> = (0..1 + batch % 2)
                    .map(|k| output(job, 99, &format!("{publisher}:{batch}:{k}")))
                    .collect();
                let stored = store.publish(job, events).await.unwrap();
                assert!(stored.windows(2).all(|w| w[1].seq() == w[0].seq() + 1));
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let all = db.store.events_since(job, 0).await.unwrap();
    let expected = PUBLISHERS * (0..BATCHES).map(|batch| 1 + batch % 2).sum::<usize>();
    let seqs: Vec<u64> = all.iter().map(JobEvent::seq).collect();
    assert_eq!(seqs, (1..=expected as u64).collect::<Vec<_>>());
    // Each publisher's events are stored in the order it published them.
    for publisher in 0..PUBLISHERS {
        let mine: Vec<String> = all
            .iter()
            .filter_map(|event| match event {
                JobEvent::Output { data, .. } if data.starts_with(&format!("{publisher}:")) => {
                    Some(data.clone())
                }
                _ => None,
            })
            .collect();
        let wanted: Vec<String> = (0..BATCHES)
            .flat_map(|batch| (0..1 + batch % 2).map(move |k| format!("{publisher}:{batch}:{k}")))
            .collect();
        assert_eq!(mine, wanted);
    }
}

async fn the_result_and_the_final_event_are_stored_together(db: &TestDb) {
    let job = db.running_job("print(1)").await;
    db.store
        .publish(job, vec![output(job, 0, "1\n")])
        .await
        .unwrap();
    let outcome = Outcome {
        exit_code: Some(0),
        stdout: "1\n".into(),
        ..Outcome::default()
    };
    // Another worker's attempt stores nothing, event included.
    let stranger = db
        .store
        .complete_and_publish(job, "other", JobStatus::Succeeded, &outcome, None)
        .await
        .unwrap();
    assert!(stranger.is_none());
    assert_eq!(db.store.last_seq(job).await.unwrap(), 1);

    let execution = db
        .store
        .complete_and_publish(job, "w", JobStatus::Succeeded, &outcome, None)
        .await
        .unwrap()
        .expect("the worker holds the job");
    assert_eq!(execution.status, JobStatus::Succeeded);
    assert_eq!(execution.stdout, "1\n");
    let events = db.store.events_since(job, 0).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[1], JobEvent::finished(&execution, 2));
    // Finished once: a second completion is refused and adds no event.
    let again = db
        .store
        .complete_and_publish(job, "w", JobStatus::Failed, &outcome, None)
        .await
        .unwrap();
    assert!(again.is_none());
    assert_eq!(db.store.last_seq(job).await.unwrap(), 2);
}

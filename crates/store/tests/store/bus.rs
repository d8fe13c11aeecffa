//! The signalling bus. On PostgreSQL the two "nodes" are separate stores with their own
//! connections; on SQLite the bus is in-process and both ends use one store.

use std::time::Duration;

use code_remote_core::JobId;
use code_remote_store::Control;
use tokio::time::timeout;

use crate::helpers::{NO_CAPS, PATIENCE, TestDb, someone, spec, worker};

crate::on_both_backends!(
    an_event_published_on_one_node_reaches_subscribers_on_every_node,
    control_messages_reach_another_node_in_order,
    a_queued_notification_wakes_a_worker_waiting_on_another_node,
);

async fn an_event_published_on_one_node_reaches_subscribers_on_every_node(db: &TestDb) {
    let other = db.another_node().await;
    let (mut here, mut there) = (
        db.store.bus().subscribe_events(),
        other.bus().subscribe_events(),
    );
    let job = JobId::new();
    for seq in 1..=3 {
        db.store.bus().publish_event(job, seq).await.unwrap();
    }
    for receiver in [&mut here, &mut there] {
        for seq in 1..=3 {
            let received = timeout(PATIENCE, receiver.recv())
                .await
                .expect("an event notification")
                .unwrap();
            assert_eq!(received, (job, seq));
        }
    }
}

async fn control_messages_reach_another_node_in_order(db: &TestDb) {
    let worker_node = db.another_node().await;
    let mut controls = worker_node.bus().subscribe_control();
    let job = JobId::new();
    // Far beyond one NOTIFY payload (8000 bytes), with characters that JSON escapes.
    let long_input = "line \"quoted\" ü\n".repeat(2_000);
    let bus = db.store.bus();
    bus.send_control(job, Control::Stdin("first\n".into()))
        .await
        .unwrap();
    bus.send_control(job, Control::Stdin(long_input.clone()))
        .await
        .unwrap();
    bus.send_control(job, Control::CloseStdin).await.unwrap();
    bus.send_control(job, Control::Cancel).await.unwrap();

    let mut stdin = String::new();
    let mut others = Vec::new();
    while others.len() < 2 {
        let (to, msg) = timeout(PATIENCE, controls.recv())
            .await
            .expect("a control message")
            .unwrap();
        assert_eq!(to, job);
        match msg {
            Control::Stdin(chunk) => {
                assert!(others.is_empty(), "stdin after close_stdin: out of order");
                stdin.push_str(&chunk);
            }
            other => others.push(other),
        }
    }
    assert_eq!(stdin, format!("first\n{long_input}"));
    assert_eq!(others, [Control::CloseStdin, Control::Cancel]);
}

async fn a_queued_notification_wakes_a_worker_waiting_on_another_node(db: &TestDb) {
    let worker_node = db.another_node().await;
    let wake = worker_node.bus().queued_notifications();
    let notified = wake.notified();
    tokio::pin!(notified);
    notified.as_mut().enable();
    db.store.bus().notify_queued().await.unwrap();
    timeout(PATIENCE, notified)
        .await
        .expect("the waiting worker is woken");
}

/// Terminates this case's connections on the server, as a database restart would.
async fn kill_connections(db: &TestDb, only_the_listener: bool) -> usize {
    let admin = sqlx::PgPool::connect(db.admin_url().unwrap())
        .await
        .unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        r#"
        select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = $1 and ($2 = false or query like 'LISTEN%')
        "#,
    )
    .bind(db.schema().unwrap())
    .bind(only_the_listener)
    .fetch_all(&admin)
    .await
    .unwrap();
    admin.close().await;
    killed.into_iter().filter(|done| *done).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_listener_comes_back_after_its_connection_is_killed() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let bus = db.store.bus();
    let mut reconnections = bus.reconnections();
    let mut events = bus.subscribe_events();
    assert_eq!(
        kill_connections(&db, true).await,
        1,
        "exactly one listener connection"
    );

    timeout(PATIENCE, reconnections.changed())
        .await
        .expect("the listener reconnects")
        .unwrap();
    let job = JobId::new();
    bus.publish_event(job, 7).await.unwrap();
    let received = timeout(PATIENCE, events.recv())
        .await
        .expect("delivery after reconnecting")
        .unwrap();
    assert_eq!(received, (job, 7));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_node_survives_losing_every_connection() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let queued = db
        .store
        .enqueue(someone(), &spec("1"), NO_CAPS)
        .await
        .unwrap();
    let bus = db.store.bus();
    let mut reconnections = bus.reconnections();
    let mut controls = bus.subscribe_control();
    assert!(
        kill_connections(&db, false).await >= 2,
        "the pool's and the listener's connections"
    );

    // Queries work again at once: the pool replaces connections the server dropped.
    timeout(Duration::from_secs(10), db.store.ping())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(db.store.job(queued.id).await.unwrap(), Some(queued.clone()));
    let claimed = db
        .store
        .claim(&worker("w", 60_000, 0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.execution.id, queued.id);

    timeout(PATIENCE, reconnections.changed())
        .await
        .expect("the listener reconnects")
        .unwrap();
    bus.send_control(queued.id, Control::Cancel).await.unwrap();
    let received = timeout(PATIENCE, controls.recv())
        .await
        .expect("delivery after reconnecting")
        .unwrap();
    assert_eq!(received, (queued.id, Control::Cancel));
}

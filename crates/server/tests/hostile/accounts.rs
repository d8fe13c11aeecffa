//! Attacks on accounts: login floods with huge names, locking someone else out, racing the
//! first sign-up, redeeming one refresh token many times, and spending a CPU quota in parallel.

use std::{net::IpAddr, time::Duration};

use futures::future::join_all;
use serde_json::{Value, json};

use crate::{
    helpers::{Server, assert_still_served, client, register},
    support::wait_finished,
};

fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address.parse::<IpAddr>().ok())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn login(client: &reqwest::Client, server: &Server, name: &str, password: &str) -> u16 {
    client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"username": name, "password": password}))
        .send()
        .await
        .map(|response| response.status().as_u16())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_login_flood_with_huge_unique_usernames_leaves_no_memory_behind() {
    const LOGINS: usize = 160;
    let server = Server::start(&[]).await;
    let honest = client();
    let token = register(&honest, &server, "honest").await;
    let attacker = client_from("127.0.0.2");
    let memory = server.watch_memory();
    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..LOGINS {
        let name = format!("{i:06}{}", "u".repeat(1024 * 1024));
        *statuses
            .entry(login(&attacker, &server, &name, "guess").await)
            .or_insert(0) += 1;
    }
    eprintln!("login flood: {LOGINS} logins with unique 1 MiB usernames: {statuses:?}");
    // 0: the server answered 413 and closed before the client had sent the whole body.
    assert!(
        statuses
            .keys()
            .all(|status| *status == 0 || (400..500).contains(status)),
        "every attempt is refused: {statuses:?}"
    );
    memory.assert_growth_below("login flood", 24).await;
    assert_eq!(
        login(&honest, &server, "honest", "a long enough password").await,
        200
    );
    assert_still_served(&honest, &server, &token).await;
}

#[tokio::test]
async fn a_stranger_cannot_lock_someone_out() {
    let server = Server::start(&["--login-attempts-per-minute", "5"]).await;
    let victim = client();
    register(&victim, &server, "victim").await;
    let stranger = client_from("127.0.0.2");
    let mut refused = 0;
    for i in 0..30 {
        // Both spellings: usernames are not case-sensitive.
        let name = if i % 2 == 0 { "victim" } else { "VICTIM" };
        let status = login(&stranger, &server, name, "wrong guess").await;
        assert!(status == 401 || status == 429, "{status}");
        refused += usize::from(status == 429);
    }
    eprintln!("lock-out: the stranger's 30 attempts got {refused} 429s");
    assert!(refused > 0, "the stranger is slowed down");
    assert_eq!(
        login(&victim, &server, "victim", "a long enough password").await,
        200,
        "the victim, from their own address, still gets in"
    );
}

#[tokio::test]
async fn racing_sign_ups_on_an_empty_server_make_exactly_one_admin() {
    let server = Server::start(&[]).await;
    let http = client();
    let roles = join_all((0..8).map(|i| {
        let (http, server) = (&http, &server);
        async move {
            let response = http
                .post(server.url("/api/v1/auth/register"))
                .json(
                    &json!({"username": format!("racer{i}"), "password": "a long enough password"}),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
            let body: Value = response.json().await.unwrap();
            body["user"]["role"].as_str().unwrap().to_owned()
        }
    }))
    .await;
    let admins = roles.iter().filter(|role| *role == "admin").count();
    eprintln!("sign-up race: 8 sign-ups at once gave roles {roles:?}");
    assert_eq!(admins, 1, "{roles:?}");
}

#[tokio::test]
async fn one_refresh_token_is_redeemed_once_however_many_race() {
    let server = Server::start(&[]).await;
    let http = client();
    let response: Value = http
        .post(server.url("/api/v1/auth/register"))
        .json(&json!({"username": "refresher", "password": "a long enough password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refresh = response["refresh_token"].as_str().unwrap().to_owned();
    for round in 0..4 {
        let token = if round == 0 {
            refresh.clone()
        } else {
            // A fresh session for each round: the reuse of the first revokes the family.
            let body: Value = http
                .post(server.url("/api/v1/auth/login"))
                .json(&json!({"username": "refresher", "password": "a long enough password"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["refresh_token"].as_str().unwrap().to_owned()
        };
        let statuses = join_all((0..8).map(|_| {
            let (http, server, token) = (&http, &server, &token);
            async move {
                http.post(server.url("/api/v1/auth/refresh"))
                    .json(&json!({"refresh_token": token}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        }))
        .await;
        let redeemed = statuses.iter().filter(|status| **status == 200).count();
        assert_eq!(redeemed, 1, "round {round}: {statuses:?}");
    }
}

#[tokio::test]
async fn parallel_jobs_cannot_overrun_the_cpu_quota_by_more_than_one_run() {
    const JOBS: usize = 5;
    let server = Server::start(&["--cpu-seconds-per-user-per-day", "1"]).await;
    let http = client();
    let token = register(&http, &server, "spender").await;
    // Each run burns 0.6 s of CPU, under a 2 s time limit.
    let code = "import time\nwhile time.process_time() < 0.6:\n    pass\nprint('spent')";
    let mut accepted = Vec::new();
    let mut refused = 0;
    let submissions = join_all((0..JOBS).map(|_| {
        let (http, server, token) = (&http, &server, &token);
        async move {
            http.post(server.url("/api/v1/executions"))
                .bearer_auth(token)
                .json(&json!({"code": code, "limits": {"time_limit_ms": 2000}}))
                .send()
                .await
                .unwrap()
        }
    }))
    .await;
    for response in submissions {
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        match status {
            202 => accepted.push(body["id"].as_str().unwrap().to_owned()),
            429 => {
                assert_eq!(body["error"]["code"], "cpu_quota_exceeded", "{body}");
                refused += 1;
            }
            other => panic!("{other} {body}"),
        }
    }
    let mut used_ms = 0;
    for id in &accepted {
        let execution = wait_finished(&http, &server, &token, id).await;
        used_ms += execution["cpu_time_ms"].as_u64().unwrap_or(0);
    }
    eprintln!(
        "CPU quota race: {JOBS} jobs at once against a 1 s quota: {} accepted, {refused} refused, {used_ms} ms used",
        accepted.len()
    );
    assert!(!accepted.is_empty(), "the quota allows a first run");
    // The quota (1 s) plus at most the one run (0.6 s, and the interpreter's start) that was
    // running when it ran out.
    assert!(
        used_ms <= 1000 + 700,
        "{used_ms} ms of CPU against a 1 s quota"
    );
}

#[tokio::test]
async fn a_sign_up_flood_from_one_address_is_cut_off_at_the_hourly_limit() {
    const SIGN_UPS: usize = 40;
    // The default of 5 sign-ups per address and hour (the helper raises it for other tests).
    let server = Server::start(&["--registrations-per-hour-per-ip", "5"]).await;
    let attacker = client_from("127.0.0.2");
    let memory = server.watch_memory();
    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..SIGN_UPS {
        let status = attacker
            .post(server.url("/api/v1/auth/register"))
            .json(&json!({"username": format!("sock{i}"), "password": "a long enough password"}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        *statuses.entry(status).or_insert(0) += 1;
    }
    eprintln!("sign-up flood: {SIGN_UPS} sign-ups from one address: {statuses:?}");
    assert_eq!(statuses.get(&201), Some(&5), "{statuses:?}");
    assert_eq!(statuses.get(&429), Some(&(SIGN_UPS - 5)), "{statuses:?}");
    // Each sign-up hashes its password with argon2id (19 MiB of memory), at most one hash per
    // CPU at a time; the refused ones hash nothing.
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    memory
        .assert_growth_below("sign-up flood", 19 * cpus + 16)
        .await;
    // Another address still signs up and runs code.
    let honest = client();
    let token = register(&honest, &server, "honest").await;
    assert_still_served(&honest, &server, &token).await;
}

//! Connection storms and slowloris: one address cannot hold more than its share of
//! connections, and a client that sends its headers slowly is cut off.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
};

use crate::helpers::{Server, assert_still_served, client, register};

/// The attacker's address: loopback, but not the honest user's 127.0.0.1.
const ATTACKER: &str = "127.0.0.2";

async fn connect_from(source: &str, server: &Server) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source.parse().unwrap(), 0))?;
    socket.connect(server.address.parse().unwrap()).await
}

/// Whether the server has closed this connection (EOF or reset), waiting at most `patience`.
async fn closed_by_server(stream: &mut TcpStream, patience: Duration) -> bool {
    let mut byte = [0u8; 1];
    match tokio::time::timeout(patience, stream.read(&mut byte)).await {
        Ok(Ok(0) | Err(_)) => true,
        Ok(Ok(_)) | Err(_) => false,
    }
}

#[tokio::test]
async fn a_connection_storm_from_one_address_cannot_starve_others() {
    const CAP: usize = 32;
    const STORM: usize = 400;
    let server = Server::start(&[
        "--max-connections-per-ip",
        &CAP.to_string(),
        "--header-timeout-secs",
        "60",
    ])
    .await;
    let honest = client();
    let token = register(&honest, &server, "honest").await;
    let memory = server.watch_memory();

    let mut storm = Vec::new();
    for _ in 0..STORM {
        if let Ok(stream) = connect_from(ATTACKER, &server).await {
            storm.push(stream);
        }
    }
    assert_still_served(&honest, &server, &token).await;
    let mut open = 0;
    for stream in &mut storm {
        if !closed_by_server(stream, Duration::from_millis(5)).await {
            open += 1;
        }
    }
    eprintln!("connection storm: {STORM} connections tried, {open} kept open (cap {CAP})");
    assert!(
        open <= CAP,
        "{open} connections from one address stayed open"
    );
    assert!(open > 0, "the address still gets its share");
    memory.assert_growth_below("connection storm", 24).await;

    // The address gets its share back once its connections close.
    drop(storm);
    let mut again = connect_from(ATTACKER, &server).await.unwrap();
    again
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    again.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn slowloris_connections_are_cut_off_after_the_header_timeout() {
    const SLOW: usize = 100;
    let server = Server::start(&["--header-timeout-secs", "1"]).await;
    let honest = client();
    let token = register(&honest, &server, "honest").await;
    let memory = server.watch_memory();

    let started = Instant::now();
    let mut attackers = Vec::new();
    for i in 0..SLOW {
        let mut stream = connect_from(ATTACKER, &server).await.unwrap();
        attackers.push(tokio::spawn(async move {
            // Headers trickle in, one small line at a time, and never end; half the
            // connections send nothing at all after connecting.
            if i % 2 == 0 {
                let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await;
            }
            let mut ticker = tokio::time::interval(Duration::from_millis(200));
            loop {
                ticker.tick().await;
                if i % 2 == 0 && stream.write_all(b"X-Slow: 1\r\n").await.is_err() {
                    return;
                }
                if closed_by_server(&mut stream, Duration::from_millis(1)).await {
                    return;
                }
            }
        }));
    }
    assert_still_served(&honest, &server, &token).await;
    for attacker in attackers {
        tokio::time::timeout(Duration::from_secs(10), attacker)
            .await
            .expect("every slow connection is closed by the server")
            .unwrap();
    }
    let elapsed = started.elapsed();
    eprintln!(
        "slowloris: {SLOW} slow connections all closed {:.1} s after they opened (header timeout 1 s)",
        elapsed.as_secs_f64()
    );
    memory.assert_growth_below("slowloris", 16).await;
}

//! The HTTP server loop: accepts connections with bounds a hostile client cannot stretch.
//!
//! `axum::serve` has no header timeout and no connection cap, so one client could hold
//! thousands of idle or half-sent connections (slowloris). This loop puts hyper's header-read
//! timeout on every connection, caps connections in total and per client address, and drains
//! open connections on shutdown. Request bodies get their own timeout in the router
//! (`code_remote_api::app`), and WebSockets their own limits in the API.

use std::{
    collections::HashMap,
    future::Future,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, extract::ConnectInfo};
use code_remote_api::TrustedProxies;
use hyper::server::conn::http1;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::Notify};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// Bounds on the connections one server accepts.
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    /// Time a client has to send a request's headers (a new connection's first request, or the
    /// next one on a kept-alive connection) before the connection is closed.
    pub header_read_timeout: Duration,
    /// Open connections, all clients together; past it new ones are closed at once.
    pub max_connections: usize,
    /// Open connections from one client address (one IPv6 /64); reverse proxies named by
    /// `--trusted-proxy` are exempt, since every client comes through them.
    pub max_connections_per_ip: usize,
    /// Proxies exempt from the per-address cap.
    pub trusted_proxies: TrustedProxies,
}

/// How long open connections get to finish their requests after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` resolves, then drains open connections.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let counts = Arc::new(ConnectionCounts::default());
    let stopping = CancellationToken::new();
    // HTTP/1.1 only: hyper-util's automatic version detection reads the first bytes before any
    // timer runs, so a client that connects and sends nothing would be held forever. Browsers
    // speak HTTP/1.1 to a plain-HTTP origin, and a TLS proxy in front may speak HTTP/2 to them.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // EMFILE and friends: back off briefly rather than spin.
                    tracing::warn!(error = %err, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let exempt = limits.trusted_proxies.contains(remote.ip());
        let Some(permit) = counts.admit(remote.ip(), exempt, &limits) else {
            metrics::counter!("code_remote_http_connections_refused_total").increment(1);
            tracing::debug!(%remote, "connection refused: too many open connections");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service =
            app.clone()
                .map_request(move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(remote));
                    request
                });
        let connection = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .with_upgrades();
        let stopping = stopping.clone();
        tokio::spawn(async move {
            tokio::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                () = stopping.cancelled() => {
                    // Finish the request in flight, then close; WebSockets end here.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(err) = result {
                tracing::debug!(%remote, error = %err, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    stopping.cancel();
    if tokio::time::timeout(DRAIN_TIMEOUT, counts.drained())
        .await
        .is_err()
    {
        tracing::warn!("open connections did not finish in time; closing them");
    }
    Ok(())
}

/// Open connections, in total and per client address. Entries leave the map when their last
/// connection closes, so the map is never larger than the number of open connections.
#[derive(Default)]
struct ConnectionCounts {
    inner: Mutex<Counts>,
    /// Woken when the last connection closes.
    idle: Notify,
}

#[derive(Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

impl ConnectionCounts {
    /// Resolves once no connection is open.
    async fn drained(&self) {
        loop {
            let idle = self.idle.notified();
            if self.inner.lock().expect("connection counts lock").total == 0 {
                return;
            }
            idle.await;
        }
    }

    fn admit(
        self: &Arc<Self>,
        ip: IpAddr,
        exempt: bool,
        limits: &ConnectionLimits,
    ) -> Option<ConnectionPermit> {
        let key = client_key(ip);
        let mut counts = self.inner.lock().expect("connection counts lock");
        if counts.total >= limits.max_connections {
            return None;
        }
        let mine = counts.per_ip.entry(key).or_default();
        if !exempt && *mine >= limits.max_connections_per_ip {
            if *mine == 0 {
                counts.per_ip.remove(&key);
            }
            return None;
        }
        *mine += 1;
        counts.total += 1;
        metrics::gauge!("code_remote_http_connections").set(counts.total as f64);
        Some(ConnectionPermit {
            counts: self.clone(),
            key,
        })
    }
}

/// One admitted connection; dropping it gives its place back.
struct ConnectionPermit {
    counts: Arc<ConnectionCounts>,
    key: IpAddr,
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        let mut counts = self.counts.inner.lock().expect("connection counts lock");
        counts.total -= 1;
        if let Some(mine) = counts.per_ip.get_mut(&self.key) {
            *mine -= 1;
            if *mine == 0 {
                counts.per_ip.remove(&self.key);
            }
        }
        metrics::gauge!("code_remote_http_connections").set(counts.total as f64);
        if counts.total == 0 {
            self.counts.idle.notify_waiters();
        }
    }
}

/// The address a client is counted under: IPv4 as it is, IPv6 by its /64 (one subscriber's
/// allocation, which a client can rotate through freely).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(total: usize, per_ip: usize) -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(1),
            max_connections: total,
            max_connections_per_ip: per_ip,
            trusted_proxies: TrustedProxies::default(),
        }
    }

    #[test]
    fn one_address_cannot_take_more_than_its_share() {
        let counts = Arc::new(ConnectionCounts::default());
        let limits = limits(10, 2);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let first = counts.admit(a, false, &limits).unwrap();
        let _second = counts.admit(a, false, &limits).unwrap();
        assert!(counts.admit(a, false, &limits).is_none());
        assert!(counts.admit(b, false, &limits).is_some());
        drop(first);
        assert!(counts.admit(a, false, &limits).is_some());
    }

    #[test]
    fn the_total_cap_holds_even_for_trusted_proxies() {
        let counts = Arc::new(ConnectionCounts::default());
        let limits = limits(3, 1);
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let held: Vec<_> = (0..3)
            .map(|_| counts.admit(proxy, true, &limits).unwrap())
            .collect();
        assert!(counts.admit(proxy, true, &limits).is_none());
        drop(held);
        assert_eq!(counts.inner.lock().unwrap().total, 0);
        assert!(counts.inner.lock().unwrap().per_ip.is_empty());
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_key(one), client_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}

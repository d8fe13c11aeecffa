//! The client's address behind reverse proxies: resolved once per request by [`resolve`], from
//! the peer address and, only when the peer is a trusted proxy, `X-Forwarded-For`. The per-IP
//! request and login limits and the audit log all read the result through [`ClientIp`].
//!
//! Like nginx's `real_ip_recursive` and Express's "trust proxy": the header is walked from right
//! to left (the right end was written by the proxy nearest to us), skipping trusted addresses;
//! the first untrusted one is the client. A client can put anything at the left end, so nothing
//! left of that first untrusted address is believed. The standard `Forwarded` header (RFC 7239)
//! is not read.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{Extensions, HeaderMap, HeaderName, request::Parts},
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;

use crate::AppState;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// Networks whose connections may say, in `X-Forwarded-For`, whom they forward for. Empty (the
/// default): the header is ignored and the client is the peer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: impl IntoIterator<Item = IpNet>) -> Self {
        Self(
            networks
                .into_iter()
                .map(|network| network.trunc())
                .collect(),
        )
    }

    /// One entry of the list: a network (`10.0.0.0/8`, `fd00::/8`) or a single address.
    pub fn parse_network(text: &str) -> Result<IpNet, String> {
        let text = text.trim();
        text.parse::<IpNet>()
            .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
            .map_err(|_| {
                format!("`{text}` is not an IP address or a network such as 10.0.0.0/8 or fd00::/8")
            })
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|network| network.contains(&ip))
    }

    /// The client's address for a connection from `peer` carrying these headers.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        // Load-bearing: an untrusted peer's header is whatever the client wrote.
        if !self.contains(peer) {
            return peer;
        }
        let mut nearest_trusted = peer;
        for entry in forwarded_for_right_to_left(headers) {
            match entry {
                Some(ip) if self.contains(ip) => nearest_trusted = ip,
                Some(ip) => return ip,
                // Whatever is left of a malformed entry cannot be attributed to any hop.
                None => break,
            }
        }
        nearest_trusted
    }
}

/// Every `X-Forwarded-For` entry, the headers concatenated in order, read from the right end;
/// `None` for an entry that is not an IP address (with an optional port).
fn forwarded_for_right_to_left(headers: &HeaderMap) -> impl Iterator<Item = Option<IpAddr>> {
    headers
        .get_all(X_FORWARDED_FOR)
        .iter()
        .rev()
        .flat_map(|value| match value.to_str() {
            Ok(text) => text.rsplit(',').map(parse_entry).collect(),
            Err(_) => vec![None],
        })
}

fn parse_entry(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let ip = text
        .parse::<IpAddr>()
        .or_else(|_| text.parse::<SocketAddr>().map(|address| address.ip()))
        .ok()?;
    Some(ip.to_canonical())
}

/// The resolved address, in the request's extensions.
#[derive(Clone, Copy)]
struct Resolved(IpAddr);

/// Resolves the client's address once, for every layer and handler inside this one.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    if let Some(peer) = peer {
        let client = state
            .config
            .trusted_proxies
            .client_ip(peer, request.headers());
        request.extensions_mut().insert(Resolved(client));
    }
    next.run(request).await
}

/// The client's address as resolved by [`resolve`]; `None` when the server was started without
/// connection info.
pub fn client_ip(extensions: &Extensions) -> Option<IpAddr> {
    extensions.get::<Resolved>().map(|Resolved(ip)| *ip)
}

/// The caller's IP address, if known (never fails).
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(client_ip(&parts.extensions)))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    const PROXY: &str = "127.0.0.1";

    fn trusting(networks: &[&str]) -> TrustedProxies {
        TrustedProxies::new(
            networks
                .iter()
                .map(|network| TrustedProxies::parse_network(network).unwrap()),
        )
    }

    fn resolve(proxies: &TrustedProxies, peer: &str, forwarded_for: &[&[u8]]) -> String {
        let mut headers = HeaderMap::new();
        for value in forwarded_for {
            headers.append(X_FORWARDED_FOR, HeaderValue::from_bytes(value).unwrap());
        }
        proxies
            .client_ip(peer.parse().unwrap(), &headers)
            .to_string()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(resolve(&none, PROXY, &[b"203.0.113.7"]), PROXY);
    }

    #[test]
    fn an_untrusted_peer_cannot_spoof_its_address() {
        let proxies = trusting(&["10.0.0.0/8"]);
        assert_eq!(
            resolve(&proxies, "198.51.100.1", &[b"10.0.0.1"]),
            "198.51.100.1"
        );
    }

    #[test]
    fn a_trusted_peer_without_the_header_is_the_client() {
        assert_eq!(resolve(&trusting(&["127.0.0.1"]), PROXY, &[]), PROXY);
    }

    #[test]
    fn the_first_untrusted_address_from_the_right_is_the_client() {
        let proxies = trusting(&["127.0.0.1/32", "10.0.0.0/8"]);
        let chain: &[&[u8]] = &[b"198.51.100.9, 203.0.113.7, 10.1.2.3"];
        assert_eq!(resolve(&proxies, PROXY, chain), "203.0.113.7");
    }

    #[test]
    fn when_every_hop_is_trusted_the_leftmost_is_the_client() {
        let proxies = trusting(&["127.0.0.1/32", "10.0.0.0/8"]);
        assert_eq!(
            resolve(&proxies, PROXY, &[b"10.0.0.5,10.0.0.6"]),
            "10.0.0.5"
        );
    }

    #[test]
    fn a_malformed_entry_stops_at_the_last_trusted_hop() {
        let proxies = trusting(&["127.0.0.1/32", "10.0.0.0/8"]);
        let chain: &[&[u8]] = &[b"203.0.113.7, unknown, 10.1.2.3"];
        assert_eq!(resolve(&proxies, PROXY, chain), "10.1.2.3");
        assert_eq!(resolve(&proxies, PROXY, &[b"203.0.113.7, "]), PROXY);
        assert_eq!(resolve(&proxies, PROXY, &[b"203.0.113.7, \xff"]), PROXY);
        assert_eq!(
            resolve(&proxies, PROXY, &[b"\xff", b"10.0.0.5"]),
            "10.0.0.5"
        );
    }

    #[test]
    fn several_headers_are_read_as_one_list_in_order() {
        let proxies = trusting(&["127.0.0.1/32", "10.0.0.0/8"]);
        let headers: &[&[u8]] = &[b"198.51.100.9", b"203.0.113.7, 10.0.0.1", b"10.0.0.2"];
        assert_eq!(resolve(&proxies, PROXY, headers), "203.0.113.7");
        let headers: &[&[u8]] = &[b"198.51.100.9", b"10.0.0.1"];
        assert_eq!(resolve(&proxies, PROXY, headers), "198.51.100.9");
    }

    #[test]
    fn ports_and_ipv6_entries_are_understood() {
        let proxies = trusting(&["127.0.0.1", "fd00::/8"]);
        assert_eq!(
            resolve(&proxies, PROXY, &[b"203.0.113.7:4711"]),
            "203.0.113.7"
        );
        assert_eq!(
            resolve(&proxies, PROXY, &[b"[2001:db8::1]:443, fd00::2"]),
            "2001:db8::1"
        );
        assert_eq!(
            resolve(&proxies, "fd00::9", &[b"2001:db8::2"]),
            "2001:db8::2"
        );
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_networks() {
        let proxies = trusting(&["127.0.0.1/32"]);
        assert_eq!(
            resolve(&proxies, "::ffff:127.0.0.1", &[b"::ffff:203.0.113.7"]),
            "203.0.113.7"
        );
    }

    #[test]
    fn entries_are_networks_or_single_addresses() {
        let parse = TrustedProxies::parse_network;
        assert_eq!(parse("10.0.0.0/8").unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(parse(" 192.0.2.1 ").unwrap().to_string(), "192.0.2.1/32");
        assert_eq!(parse("fd00::1").unwrap().to_string(), "fd00::1/128");
        for bad in [
            "",
            "10.0.0.0/33",
            "proxy.internal",
            "10.0.0.0/8/8",
            "10.0.0",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains(&format!("`{bad}`")), "{err}");
        }
    }

    #[test]
    fn host_bits_in_a_network_are_ignored() {
        let proxies = trusting(&["10.1.2.3/8"]);
        assert_eq!(
            resolve(&proxies, "10.200.0.1", &[b"203.0.113.7"]),
            "203.0.113.7"
        );
    }
}

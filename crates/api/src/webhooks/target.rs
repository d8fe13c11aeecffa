//! Where a callback may go: `http(s)` URLs whose every resolved address is public, unless the
//! operator allows private ones (`--callback-allow-private`).
//!
//! Load-bearing (SSRF): the address that is checked is the address that is connected to. The
//! host is resolved once, every address it resolves to is checked, and the request is pinned to
//! the first one (`reqwest`'s `resolve`), so a DNS answer that changes between the check and
//! the connection (rebinding) cannot redirect it. Redirects are never followed.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    time::Duration,
};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use reqwest::Url;

/// Longest callback URL accepted.
pub(crate) const MAX_URL_CHARS: usize = 2048;

/// IPv4 networks no callback may reach, with why.
const V4_REFUSED: [(&str, &str); 12] = [
    ("0.0.0.0/8", "unspecified"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared (CGNAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "reserved (IETF protocol assignments)"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "reserved (benchmarking)"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
    ("255.255.255.255/32", "broadcast"),
];

/// IPv6 networks no callback may reach (those that embed an IPv4 address are checked by it).
const V6_REFUSED: [(&str, &str); 6] = [
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("fc00::/7", "unique-local"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local"),
    ("ff00::/8", "multicast"),
];

/// Why `ip` may not be a callback's target, or `None` when it may.
pub(crate) fn refused(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => refused_v4(v4),
            None => V6_REFUSED.iter().find_map(|(net, why)| {
                let net: Ipv6Net = net.parse().expect("a valid network");
                net.contains(&v6).then_some(*why)
            }),
        },
    }
}

fn refused_v4(ip: Ipv4Addr) -> Option<&'static str> {
    V4_REFUSED.iter().find_map(|(net, why)| {
        let net: Ipv4Net = net.parse().expect("a valid network");
        net.contains(&ip).then_some(*why)
    })
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible, NAT64
/// (`64:ff9b::/96`) or 6to4 (`2002::/16`) address: the packet ends up there.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let octets = ip.octets();
    let nat64: IpNet = "64:ff9b::/96".parse().expect("a valid network");
    let compatible: IpNet = "::/96".parse().expect("a valid network");
    let six_to_four: IpNet = "2002::/16".parse().expect("a valid network");
    let v6 = IpAddr::V6(ip);
    if (nat64.contains(&v6) || compatible.contains(&v6)) && ip > Ipv6Addr::LOCALHOST {
        return Some(Ipv4Addr::new(
            octets[12], octets[13], octets[14], octets[15],
        ));
    }
    if six_to_four.contains(&v6) {
        return Some(Ipv4Addr::new(octets[2], octets[3], octets[4], octets[5]));
    }
    None
}

/// Checks a callback URL as a client gives it: scheme, host, length, and a literal address.
/// Host names are resolved and checked at each delivery ([`resolve`]).
pub(crate) fn check_url(text: &str, allow_private: bool) -> Result<Url, String> {
    if text.chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "callback_url must be at most {MAX_URL_CHARS} characters"
        ));
    }
    let url = Url::parse(text).map_err(|err| format!("callback_url is not a URL: {err}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("callback_url must be an http:// or https:// URL".into());
    }
    let Some(host) = url.host() else {
        return Err("callback_url must name a host".into());
    };
    let literal = match host {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    };
    if let Some(ip) = literal
        && !allow_private
        && let Some(why) = refused(ip)
    {
        return Err(format!(
            "callback_url points to a {why} address ({ip}), which this server does not call"
        ));
    }
    Ok(url)
}

/// The one address a delivery to `url` connects to: its host resolved (within `timeout`), every
/// address checked, the first returned.
pub(crate) async fn resolve(
    url: &Url,
    allow_private: bool,
    timeout: Duration,
) -> Result<SocketAddr, Refusal> {
    let port = url
        .port_or_known_default()
        .ok_or_else(|| Refusal::Unresolved("the URL has no port".into()))?;
    let addresses: Vec<SocketAddr> = match url.host() {
        Some(url::Host::Ipv4(v4)) => vec![SocketAddr::new(IpAddr::V4(v4), port)],
        Some(url::Host::Ipv6(v6)) => vec![SocketAddr::new(IpAddr::V6(v6), port)],
        Some(url::Host::Domain(name)) => {
            let lookup = tokio::net::lookup_host((name, port));
            match tokio::time::timeout(timeout, lookup).await {
                Ok(Ok(found)) => found.collect(),
                Ok(Err(err)) => return Err(Refusal::Unresolved(format!("{name}: {err}"))),
                Err(_) => return Err(Refusal::Unresolved(format!("{name}: lookup timed out"))),
            }
        }
        None => return Err(Refusal::Unresolved("the URL has no host".into())),
    };
    if !allow_private {
        for address in &addresses {
            if let Some(why) = refused(address.ip()) {
                return Err(Refusal::Forbidden(format!(
                    "{} resolves to a {why} address ({}), which this server does not call",
                    url.host_str().unwrap_or_default(),
                    address.ip()
                )));
            }
        }
    }
    addresses
        .into_iter()
        .next()
        .ok_or_else(|| Refusal::Unresolved("the host has no address".into()))
}

/// Why a delivery cannot be attempted.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The host did not resolve (may pass later: retried).
    Unresolved(String),
    /// The target is not allowed (final).
    Forbidden(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_refused() {
        for (ip, why) in [
            ("127.0.0.1", "loopback"),
            ("10.1.2.3", "private"),
            ("172.20.0.1", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.100.1.1", "shared (CGNAT)"),
            ("224.0.0.1", "multicast"),
            ("0.0.0.0", "unspecified"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fd00::1", "unique-local"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:169.254.169.254", "link-local"),
            ("64:ff9b::a00:1", "private"),
            ("2002:c0a8:0101::1", "private"),
        ] {
            assert_eq!(refused(ip.parse().unwrap()), Some(why), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"] {
            assert_eq!(refused(ip.parse().unwrap()), None, "{ip}");
        }
    }

    #[test]
    fn urls_need_http_a_host_and_a_public_literal_address() {
        assert!(check_url("https://hooks.example.org/x", false).is_ok());
        assert!(
            check_url("ftp://example.org/", false)
                .unwrap_err()
                .contains("http")
        );
        assert!(check_url("not a url", false).is_err());
        let err = check_url("http://127.0.0.1:9/hook", false).unwrap_err();
        assert!(err.contains("loopback"), "{err}");
        assert!(check_url("http://[::ffff:10.0.0.1]/", false).is_err());
        assert!(check_url("http://127.0.0.1:9/hook", true).is_ok());
        let long = format!("https://example.org/{}", "a".repeat(MAX_URL_CHARS));
        assert!(check_url(&long, false).is_err());
    }

    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_refused_unless_allowed() {
        let url = Url::parse("http://localhost:9/hook").unwrap();
        let timeout = Duration::from_secs(5);
        assert!(matches!(
            resolve(&url, false, timeout).await,
            Err(Refusal::Forbidden(message)) if message.contains("loopback")
        ));
        let address = resolve(&url, true, timeout).await.unwrap();
        assert!(address.ip().is_loopback());
    }
}

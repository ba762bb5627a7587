//! Sign-in throttling, per account and per network address: after a few failures each further
//! attempt must wait, doubling up to a quarter of an hour. The same wait applies whether or not
//! the account exists, so throttling reveals nothing about who has an account.

use time::{Duration, OffsetDateTime};

/// Failures allowed before waiting starts.
const FREE_FAILURES: u32 = 5;
/// The longest wait.
const MAX_WAIT: Duration = Duration::minutes(15);

/// How long after the last failure the next attempt must wait, given the failure count.
pub(crate) fn wait_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(10);
    (Duration::seconds(1) * 2_i32.pow(doublings)).min(MAX_WAIT)
}

/// If an attempt now must still wait, how long.
pub(crate) fn remaining_wait(
    failures: Option<(u32, OffsetDateTime)>,
    now: OffsetDateTime,
) -> Option<Duration> {
    let (count, last) = failures?;
    let until = last + wait_after(count);
    (until > now).then(|| until - now)
}

/// The throttling key for an account.
pub(crate) fn account_key(email: &str) -> String {
    format!("account:{}", haven_auth_digest(email))
}

/// The throttling key for a client's network (see [`network_of`]).
pub(crate) fn address_key(address: std::net::IpAddr) -> String {
    format!("address:{}", haven_auth_digest(&network_of(address)))
}

/// Keys are digests, so the throttling table holds no e-mail or IP address in the clear.
fn haven_auth_digest(value: &str) -> String {
    haven_auth::token::digest(&value.to_lowercase())
}

/// A limit on requests that make Haven send e-mail or create records (sign-up, password reset):
/// so many per target address and per network address, then a wait until the window after the
/// last admitted request has passed. Keyed by digests like sign-in throttling, and the same
/// whether or not an account exists, so it reveals nothing about who has one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestLimit {
    /// Prefix of the throttling keys.
    pub name: &'static str,
    /// Requests admitted per target e-mail address from one client network within the window.
    pub per_address: u32,
    /// Requests admitted per target e-mail address from all networks together: high enough
    /// that one network asking for a person's address cannot lock that person out of their own
    /// reset, low enough that nobody can flood their mailbox.
    pub per_address_everywhere: u32,
    /// Requests admitted per network address within the window.
    pub per_network_address: u32,
    /// How long the count lasts after the last admitted request.
    pub window: Duration,
}

/// Sign-ups: a few per applicant address, a few more per network address, per hour.
pub(crate) const SIGN_UP_LIMIT: RequestLimit = RequestLimit {
    name: "sign-up",
    per_address: 3,
    per_address_everywhere: 10,
    per_network_address: 10,
    window: Duration::hours(1),
};

/// Password-reset requests, per hour.
pub(crate) const RESET_LIMIT: RequestLimit = RequestLimit {
    name: "reset",
    per_address: 3,
    per_address_everywhere: 10,
    per_network_address: 10,
    window: Duration::hours(1),
};

/// Admits and counts a request for `typed_email` from `peer`, or says how long it must wait
/// (the request is then not counted).
pub(crate) async fn admit(
    store: &dyn haven_store::Store,
    limit: RequestLimit,
    typed_email: &str,
    peer: Option<std::net::IpAddr>,
    now: OffsetDateTime,
) -> Result<Option<Duration>, haven_store::StoreError> {
    let target = account_key(typed_email.trim());
    let mut keys = vec![(
        format!("{}:{target}:everywhere", limit.name),
        limit.per_address_everywhere,
    )];
    match peer {
        Some(peer) => {
            let network = address_key(peer);
            keys.push((
                format!("{}:{target}:{network}", limit.name),
                limit.per_address,
            ));
            keys.push((
                format!("{}:{network}", limit.name),
                limit.per_network_address,
            ));
        }
        // No address known (in-process use): the per-target limit alone.
        None => keys.push((format!("{}:{target}", limit.name), limit.per_address)),
    }
    let mut longest: Option<Duration> = None;
    for (key, allowed) in &keys {
        let Some((count, last)) = store.sign_in_failures(key).await? else {
            continue;
        };
        if now - last >= limit.window {
            store.clear_sign_in_failures(key).await?;
        } else if count >= *allowed {
            let wait = last + limit.window - now;
            longest = Some(longest.map_or(wait, |l| l.max(wait)));
        }
    }
    if longest.is_none() {
        for (key, _) in &keys {
            store.record_sign_in_failure(key, now).await?;
        }
    }
    Ok(longest)
}

/// Minutes to wait, rounded up, for a message.
pub(crate) fn minutes(wait: Duration) -> String {
    let seconds = wait.whole_seconds().max(1);
    ((seconds + 59) / 60).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn waits_grow_and_cap() {
        assert_eq!(wait_after(4), Duration::ZERO);
        assert_eq!(wait_after(5), Duration::seconds(1));
        assert_eq!(wait_after(10), Duration::seconds(32));
        assert_eq!(wait_after(100), MAX_WAIT);
    }

    #[test]
    fn remaining_wait_counts_from_last_failure() {
        let last = datetime!(2026-11-22 12:00 UTC);
        assert_eq!(
            remaining_wait(Some((10, last)), last + Duration::seconds(2)),
            Some(Duration::seconds(30))
        );
        assert_eq!(
            remaining_wait(Some((10, last)), last + Duration::seconds(40)),
            None
        );
        assert_eq!(remaining_wait(None, last), None);
    }
}

/// The client's network address, when the server knows it (it does when serving over TCP; not
/// in in-process tests). Behind a trusted reverse proxy it is taken from `X-Forwarded-For`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PeerAddress(pub Option<std::net::IpAddr>);

impl axum::extract::FromRequestParts<crate::AppState> for PeerAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip());
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(Self(peer.map(|peer| {
            client_address(peer, &forwarded, &state.config().trusted_proxies)
        })))
    }
}

/// The client's address: the connection's peer, unless the peer is a trusted proxy; then the
/// right-most address in `X-Forwarded-For` that is not itself a trusted proxy (entries left of
/// it were written by the client and prove nothing). IPv4 addresses mapped into IPv6 are
/// unmapped, so one client has one key.
pub(crate) fn client_address(
    peer: std::net::IpAddr,
    forwarded_for: &[&str],
    trusted: &[ipnet::IpNet],
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer.to_canonical();
    if !is_trusted(&client) {
        return client;
    }
    let hops = forwarded_for
        .iter()
        .flat_map(|header| header.split(','))
        .rev()
        .map(str::trim);
    for hop in hops {
        let Ok(ip) = hop.parse::<std::net::IpAddr>() else {
            // Unreadable: stop at the last address a trusted proxy vouched for.
            break;
        };
        client = ip.to_canonical();
        if !is_trusted(&client) {
            break;
        }
    }
    client
}

/// The part of an address that names one client network: the whole IPv4 address, or the /64
/// prefix of an IPv6 address (one household or server is usually given a whole /64, so keying
/// on full IPv6 addresses would let one client rotate through billions of keys).
pub(crate) fn network_of(address: std::net::IpAddr) -> String {
    match address.to_canonical() {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", std::net::Ipv6Addr::from(prefix))
        }
    }
}

#[cfg(test)]
mod address_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ip(s: &str) -> std::net::IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxies: Vec<ipnet::IpNet> = vec![
            "127.0.0.1/32".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
        // Not behind a trusted proxy: the header is the client's own words.
        assert_eq!(
            client_address(ip("203.0.113.9"), &["198.51.100.1"], &proxies),
            ip("203.0.113.9")
        );
        // Behind one: the right-most untrusted hop; what the client prepended is ignored.
        assert_eq!(
            client_address(
                ip("127.0.0.1"),
                &["6.6.6.6, 198.51.100.7, 10.1.2.3"],
                &proxies
            ),
            ip("198.51.100.7")
        );
        // Several headers read as one list, in order.
        assert_eq!(
            client_address(ip("127.0.0.1"), &["6.6.6.6", "198.51.100.8"], &proxies),
            ip("198.51.100.8")
        );
        // Garbage stops the walk at the last vouched-for address.
        assert_eq!(
            client_address(ip("127.0.0.1"), &["nonsense"], &proxies),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_address(
                ip("127.0.0.1"),
                &["198.51.100.1, nonsense, 10.0.0.5"],
                &proxies
            ),
            ip("10.0.0.5")
        );
        // No proxies configured: never believed.
        assert_eq!(
            client_address(ip("127.0.0.1"), &["198.51.100.1"], &[]),
            ip("127.0.0.1")
        );
        // IPv4 mapped into IPv6 is the same client.
        assert_eq!(
            client_address(ip("::ffff:203.0.113.9"), &[], &proxies),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64_prefix() {
        assert_eq!(network_of(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(
            network_of(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")),
            "2001:db8:1:2::/64"
        );
        assert_ne!(
            network_of(ip("2001:db8:1:3::1")),
            network_of(ip("2001:db8:1:2::1"))
        );
        assert_eq!(network_of(ip("203.0.113.9")), "203.0.113.9");
        assert_eq!(network_of(ip("::ffff:203.0.113.9")), "203.0.113.9");
    }
}

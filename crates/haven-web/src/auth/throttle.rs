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

/// The throttling key for a network address.
pub(crate) fn address_key(address: &str) -> String {
    format!("address:{}", haven_auth_digest(address))
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
    /// Requests admitted per target e-mail address within the window.
    pub per_address: u32,
    /// Requests admitted per network address within the window.
    pub per_network_address: u32,
    /// How long the count lasts after the last admitted request.
    pub window: Duration,
}

/// Sign-ups: a few per applicant address, a few more per network address, per hour.
pub(crate) const SIGN_UP_LIMIT: RequestLimit = RequestLimit {
    name: "sign-up",
    per_address: 3,
    per_network_address: 10,
    window: Duration::hours(1),
};

/// Password-reset requests, per hour.
pub(crate) const RESET_LIMIT: RequestLimit = RequestLimit {
    name: "reset",
    per_address: 3,
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
    let mut keys = vec![(
        format!("{}:{}", limit.name, account_key(typed_email.trim())),
        limit.per_address,
    )];
    if let Some(peer) = peer {
        keys.push((
            format!("{}:{}", limit.name, address_key(&peer.to_string())),
            limit.per_network_address,
        ));
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
/// in in-process tests).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PeerAddress(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PeerAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip()),
        ))
    }
}

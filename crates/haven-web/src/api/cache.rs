//! Search API responses, kept per directory snapshot so a repeated query (the same query
//! string in the same minute, to a client accepting the same encoding) is one map lookup
//! instead of a search, a render and, for gzip, a compression (at the default level about
//! as much CPU as the search and render together).
//!
//! Bodies are kept gzip-compressed for clients that accept gzip (browsers and HTTP
//! libraries) and plain for the rest, within one byte budget; when a new body would exceed
//! it the map is emptied and refills with what is asked for next, which is bounded and needs
//! no bookkeeping per hit. The cache lives in the snapshot, so a directory change starts a
//! new, empty one. Results depend on the clock only through "open now", whose resolution is
//! a minute, so the minute is part of the key.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::ACCEPT_ENCODING;

/// Bytes kept per snapshot: about 8,000 compressed or 1,600 plain pages of 20 list items.
const BUDGET_BYTES: usize = 32 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub query: String,
    pub minute: i64,
    /// Whether the body is kept gzip-compressed (the client accepts gzip) or plain.
    pub gzip: bool,
}

#[derive(Debug, Default)]
pub(crate) struct ResponseCache {
    inner: Mutex<Inner>,
    /// Requests answered from the cache: for tests and whoever is measuring.
    hits: std::sync::atomic::AtomicU64,
}

#[derive(Debug, Default)]
struct Inner {
    bodies: HashMap<Key, Bytes>,
    bytes: usize,
}

impl ResponseCache {
    pub fn get(&self, key: &Key) -> Option<Bytes> {
        // A poisoned lock only means another request panicked mid-insert; the map is still
        // a valid map.
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let body = inner.bodies.get(key).cloned();
        if body.is_some() {
            self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        body
    }

    /// How many bodies are kept, and how many requests were answered from them.
    pub fn stats(&self) -> (usize, u64) {
        let kept = self.inner.lock().map(|i| i.bodies.len()).unwrap_or(0);
        (kept, self.hits.load(std::sync::atomic::Ordering::Relaxed))
    }

    pub fn insert(&self, key: Key, body: Bytes) {
        if body.len() > BUDGET_BYTES / 16 {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.bytes + body.len() > BUDGET_BYTES {
            inner.bodies.clear();
            inner.bytes = 0;
        }
        inner.bytes += body.len();
        if let Some(old) = inner.bodies.insert(key, body) {
            inner.bytes -= old.len();
        }
    }
}

/// Whether the request accepts gzip (`gzip` or `*` with a non-zero quality).
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim();
            let zero = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !zero
        })
}

/// `body` gzip-compressed at the default level (what the compression layer would use).
pub(crate) fn gzip(body: &[u8]) -> Option<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 6),
        flate2::Compression::default(),
    );
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn gzip_acceptance_follows_quality() {
        assert!(accepts_gzip(&headers("gzip, deflate, br")));
        assert!(accepts_gzip(&headers("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&headers("*")));
        assert!(!accepts_gzip(&headers("gzip;q=0")));
        assert!(!accepts_gzip(&headers("br, deflate")));
        assert!(!accepts_gzip(&headers("identity")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn budget_bounds_the_cache() {
        let cache = ResponseCache::default();
        let body = Bytes::from(vec![0u8; BUDGET_BYTES / 16]);
        for i in 0..40 {
            cache.insert(
                Key {
                    query: i.to_string(),
                    minute: 0,
                    gzip: true,
                },
                body.clone(),
            );
            assert!(cache.inner.lock().unwrap().bytes <= BUDGET_BYTES);
        }
        assert!(cache.stats().0 <= 16);
        let key = Key {
            query: "39".into(),
            minute: 0,
            gzip: true,
        };
        assert_eq!(cache.get(&key).map(|b| b.len()), Some(body.len()));
        // Another minute, or the other encoding, is another key.
        assert!(
            cache
                .get(&Key {
                    minute: 1,
                    ..key.clone()
                })
                .is_none()
        );
        assert!(cache.get(&Key { gzip: false, ..key }).is_none());
        // Too large for the budget: not kept.
        let big = Key {
            query: "big".into(),
            minute: 0,
            gzip: false,
        };
        cache.insert(big.clone(), Bytes::from(vec![0u8; BUDGET_BYTES / 8]));
        assert!(cache.get(&big).is_none());
    }

    #[test]
    fn gzip_round_trips() {
        use std::io::Read as _;
        let text = b"{\"contents\":[]}".repeat(100);
        let packed = gzip(&text).unwrap();
        assert!(packed.len() < text.len());
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, text);
    }
}

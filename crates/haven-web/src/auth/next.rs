//! Where to go after signing in (`next`): only a path on this site, so a link to Haven's
//! sign-in page can never send a person somewhere else afterwards (no open redirect).

/// Longest `next` kept.
const MAX_NEXT: usize = 2048;

/// `raw` if it is a same-origin relative path: it starts with one `/` (not `//`, which a browser
/// reads as another host), holds only visible ASCII (no white space or control characters, which
/// browsers strip, turning `/\t/host` into `//host`), and no backslash (which browsers treat as
/// a slash). Anything else is `None`, and the caller falls back to its usual page.
pub(crate) fn safe_next(raw: Option<&str>) -> Option<String> {
    let raw = raw?;
    let ok = raw.len() <= MAX_NEXT
        && raw.starts_with('/')
        && !raw.starts_with("//")
        && raw
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b'\\');
    ok.then(|| raw.to_owned())
}

/// `path` with `?next=…` added when there is a safe `next`.
pub(crate) fn with_next(path: &str, next: Option<&str>) -> String {
    match safe_next(next) {
        Some(next) => match serde_html_form::to_string([("next", next.as_str())]) {
            Ok(query) => format!("{path}?{query}"),
            Err(_) => path.to_owned(),
        },
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_origin_paths_pass() {
        for good in [
            "/account",
            "/invitations/abc-DEF_123",
            "/search?q=legal&page=2",
        ] {
            assert_eq!(safe_next(Some(good)).as_deref(), Some(good));
        }
        for bad in [
            "//evil.example",
            "//evil.example/invitations/x",
            "https://evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            " /account",
            "/account\r\nSet-Cookie: x=1",
            "evil.example",
            "",
            "/caf\u{e9}",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(safe_next(Some(&format!("/{}", "a".repeat(3000)))), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn next_is_carried_encoded() {
        assert_eq!(
            with_next("/sign-in", Some("/invitations/a?b=c&d")),
            "/sign-in?next=%2Finvitations%2Fa%3Fb%3Dc%26d"
        );
        assert_eq!(with_next("/sign-in", Some("//evil.example")), "/sign-in");
    }
}

//! The person's language for this request, and what every page's frame needs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use haven_i18n::{FluentValue, LANGUAGES, Language};

use crate::LANGUAGE_COOKIE;
use crate::error::FieldProblem;
use crate::state::AppState;

/// Translates into the language chosen for this request.
#[derive(Debug, Clone)]
pub(crate) struct Tr {
    state: AppState,
    language: Language,
}

impl Tr {
    /// Negotiates from the cookie, then `Accept-Language`.
    pub fn for_request(state: &AppState, headers: &HeaderMap) -> Self {
        let cookie = cookie_value(headers, LANGUAGE_COOKIE);
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let language = state.catalog().negotiate(cookie.as_deref(), accept);
        Self {
            state: state.clone(),
            language,
        }
    }

    /// Translates into a given language (an e-mail to someone in the language they chose).
    pub fn for_language(state: &AppState, language: Language) -> Self {
        Self {
            state: state.clone(),
            language,
        }
    }

    /// Translates into the language tagged `tag` if Haven speaks it, else this one.
    pub fn or_tagged(&self, tag: Option<&str>) -> Self {
        match tag.and_then(haven_i18n::language_by_tag) {
            Some(language) => Self::for_language(&self.state, language),
            None => self.clone(),
        }
    }

    /// The message `id`.
    pub fn get(&self, id: &str) -> String {
        self.state.catalog().message(self.language, id, None)
    }

    /// The message `id` with string arguments.
    pub fn get_with(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = haven_i18n::FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        self.state
            .catalog()
            .message(self.language, id, Some(&fluent_args))
    }

    /// The message `id` with numeric arguments (so plural rules apply).
    pub fn count(&self, id: &str, args: &[(&str, u64)]) -> String {
        let mut fluent_args = haven_i18n::FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        self.state
            .catalog()
            .message(self.language, id, Some(&fluent_args))
    }

    /// Field problems as a page shows them: the field and its message in this language.
    pub fn problems(&self, problems: Vec<FieldProblem>) -> Vec<(String, String)> {
        problems
            .into_iter()
            .map(|p| (p.field, self.get(p.message)))
            .collect()
    }

    /// The language.
    pub fn language(&self) -> Language {
        self.language
    }
}

impl FromRequestParts<AppState> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::for_request(state, &parts.headers))
    }
}

/// The value of cookie `name`, if the request carries it.
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

/// One entry of the language switcher.
#[derive(Debug, Clone)]
pub(crate) struct SwitchLink {
    pub tag: &'static str,
    pub autonym: &'static str,
    pub href: String,
    pub current: bool,
}

/// What the frame around every page needs: language, direction, links, notices.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    pub tr: Tr,
    pub stylesheet: String,
    pub locate_script: String,
    pub switcher: Vec<SwitchLink>,
    pub demo: bool,
}

impl Chrome {
    /// The frame for a page at `path` (where the switcher should bring the person back to).
    pub fn new(state: &AppState, tr: Tr, path: &str, demo: bool) -> Self {
        let next = percent_encode_path(path);
        let switcher = LANGUAGES
            .iter()
            .map(|language| SwitchLink {
                tag: language.tag,
                autonym: language.autonym,
                href: format!("/language/{}?next={next}", language.tag),
                current: language.tag == tr.language().tag,
            })
            .collect();
        Self {
            tr,
            stylesheet: state.assets().stylesheet_url(),
            locate_script: state.assets().locate_script_url(),
            switcher,
            demo,
        }
    }

    /// `lang` attribute.
    pub fn lang(&self) -> &'static str {
        self.tr.language().tag
    }

    /// `dir` attribute.
    pub fn dir(&self) -> &'static str {
        self.tr.language().direction.html()
    }
}

/// Escapes a path for use as a query value. Hand-written because it is eight lines and only
/// ever sees a path that axum already parsed.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn finds_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; haven_lang=ar; b=2"),
        );
        assert_eq!(cookie_value(&headers, "haven_lang").as_deref(), Some("ar"));
        assert_eq!(cookie_value(&headers, "missing"), None);
    }

    #[test]
    fn encodes_paths_for_queries() {
        assert_eq!(
            percent_encode_path("/services/a b?x"),
            "/services/a%20b%3Fx"
        );
    }
}

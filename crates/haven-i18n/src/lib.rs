//! Haven's interface languages: Project Fluent message files embedded in the binary, language
//! negotiation from `Accept-Language` with a cookie override, and text direction.
//!
//! Adding a language means adding a `.ftl` file to `locales/` and a line to [`LANGUAGES`]; a
//! test checks every language has every message English has.

use std::collections::HashMap;
use std::fmt;

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::{FluentArgs, FluentValue};

/// Which way a script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left (Arabic, Persian, Pashto, Urdu, Hebrew, ...).
    Rtl,
}

impl Direction {
    /// The value of the HTML `dir` attribute.
    pub const fn html(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// One interface language Haven ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// BCP 47 tag, also the cookie value and the `lang` attribute.
    pub tag: &'static str,
    /// The language's name in itself, as the switcher shows it.
    pub autonym: &'static str,
    /// Script direction.
    pub direction: Direction,
    /// Message files, one per area of Haven (so areas can grow without touching each other).
    sources: &'static [&'static str],
}

/// The languages Haven speaks, the default first.
pub const LANGUAGES: &[Language] = &[
    Language {
        tag: "en",
        autonym: "English",
        direction: Direction::Ltr,
        sources: &[
            include_str!("../locales/en/main.ftl"),
            include_str!("../locales/en/accounts.ftl"),
            include_str!("../locales/en/directory.ftl"),
            include_str!("../locales/en/organisations.ftl"),
            include_str!("../locales/en/mentoring.ftl"),
        ],
    },
    Language {
        tag: "ar",
        autonym: "العربية",
        direction: Direction::Rtl,
        sources: &[
            include_str!("../locales/ar/main.ftl"),
            include_str!("../locales/ar/accounts.ftl"),
            include_str!("../locales/ar/directory.ftl"),
            include_str!("../locales/ar/organisations.ftl"),
            include_str!("../locales/ar/mentoring.ftl"),
        ],
    },
];

/// A message file that failed to load: a build defect, reported at start-up.
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    /// The file has syntax errors.
    #[error("messages for {tag} do not parse: {detail}")]
    Parse {
        /// Language.
        tag: &'static str,
        /// Fluent's description.
        detail: String,
    },
    /// A tag is not a valid language identifier.
    #[error("{tag} is not a valid language tag")]
    Tag {
        /// The tag.
        tag: &'static str,
    },
}

/// All message bundles, loaded once at start-up and shared.
pub struct Catalog {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
    available: Vec<LanguageIdentifier>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("languages", &self.available)
            .finish()
    }
}

impl Catalog {
    /// Parses every embedded message file.
    pub fn load() -> Result<Self, I18nError> {
        let mut bundles = HashMap::new();
        let mut available = Vec::new();
        for language in LANGUAGES {
            let id: LanguageIdentifier = language
                .tag
                .parse()
                .map_err(|_| I18nError::Tag { tag: language.tag })?;
            let mut bundle = FluentBundle::new_concurrent(vec![id.clone()]);
            // Unicode isolation marks around arguments keep mixed-direction text in order, but
            // they also land in attribute values and tests; Haven sets `dir` on elements instead.
            bundle.set_use_isolating(false);
            for source in language.sources {
                let resource =
                    FluentResource::try_new((*source).to_owned()).map_err(|(_, errors)| {
                        I18nError::Parse {
                            tag: language.tag,
                            detail: format!("{errors:?}"),
                        }
                    })?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| I18nError::Parse {
                        tag: language.tag,
                        detail: format!("{errors:?}"),
                    })?;
            }
            bundles.insert(language.tag, bundle);
            available.push(id);
        }
        Ok(Self { bundles, available })
    }

    /// Chooses the language: a supported cookie value wins, then the best match for
    /// `Accept-Language`, then English.
    pub fn negotiate(&self, cookie: Option<&str>, accept_language: Option<&str>) -> Language {
        if let Some(language) = cookie.and_then(language_by_tag) {
            return language;
        }
        let requested = accept_language
            .map(fluent_langneg::accepted_languages::parse)
            .unwrap_or_default();
        let default = default_language();
        let default_id: Option<LanguageIdentifier> = default.tag.parse().ok();
        let chosen = fluent_langneg::negotiate_languages(
            &requested,
            &self.available,
            default_id.as_ref(),
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        chosen
            .first()
            .and_then(|id| language_by_tag(id.language.as_str()))
            .unwrap_or(default)
    }

    /// The message `key` in `language`, with `args`. A missing message falls back to English,
    /// then to the key itself, so a gap shows as a visible key rather than a blank.
    pub fn message(&self, language: Language, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        [language.tag, default_language().tag]
            .into_iter()
            .find_map(|tag| {
                let bundle = self.bundles.get(tag)?;
                let pattern = bundle.get_message(key)?.value()?;
                let mut errors = Vec::new();
                Some(
                    bundle
                        .format_pattern(pattern, args, &mut errors)
                        .into_owned(),
                )
            })
            .unwrap_or_else(|| key.to_owned())
    }

    /// Message ids defined for `language`, across all its files.
    pub fn keys(&self, language: Language) -> Vec<String> {
        let sources = LANGUAGES
            .iter()
            .find(|l| l.tag == language.tag)
            .map_or(&[][..], |l| l.sources);
        sources
            .iter()
            .filter_map(|source| FluentResource::try_new((*source).to_owned()).ok())
            .flat_map(|resource| {
                resource
                    .entries()
                    .filter_map(|entry| match entry {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// English, the fallback.
pub fn default_language() -> Language {
    LANGUAGES[0]
}

/// The shipped language with this exact tag.
pub fn language_by_tag(tag: &str) -> Option<Language> {
    LANGUAGES
        .iter()
        .copied()
        .find(|l| l.tag.eq_ignore_ascii_case(tag.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::load().unwrap()
    }

    #[test]
    fn every_language_has_every_english_message() {
        let catalog = catalog();
        let english = catalog.keys(default_language());
        assert!(english.len() > 5);
        for language in LANGUAGES {
            let keys = catalog.keys(*language);
            let missing: Vec<_> = english.iter().filter(|k| !keys.contains(k)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", language.tag);
        }
    }

    #[test]
    fn negotiation_prefers_cookie_then_header() {
        let catalog = catalog();
        assert_eq!(catalog.negotiate(Some("ar"), Some("en-GB")).tag, "ar");
        assert_eq!(
            catalog.negotiate(None, Some("ar-SY,ar;q=0.9,en;q=0.5")).tag,
            "ar"
        );
        assert_eq!(
            catalog.negotiate(Some("xx"), Some("fr, en;q=0.1")).tag,
            "en"
        );
        assert_eq!(catalog.negotiate(None, Some("fr")).tag, "en");
        assert_eq!(catalog.negotiate(None, Some(";;;garbage===")).tag, "en");
        assert_eq!(catalog.negotiate(None, None).tag, "en");
    }

    #[test]
    fn arabic_is_right_to_left_and_translated() {
        let catalog = catalog();
        let arabic = language_by_tag("ar").unwrap();
        assert_eq!(arabic.direction, Direction::Rtl);
        let english = catalog.message(default_language(), "home-heading", None);
        let translated = catalog.message(arabic, "home-heading", None);
        assert_ne!(english, translated);
        assert!(
            translated
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
        );
    }

    #[test]
    fn missing_message_shows_its_key() {
        assert_eq!(
            catalog().message(default_language(), "no-such-message", None),
            "no-such-message"
        );
    }
}

//! Errors: loading the embedded data (a build defect) and not finding a place (a user's
//! everyday mistake, which must come with a way forward).

use std::fmt;

use serde::Serialize;

/// The embedded data could not be loaded. This is a packaging bug, not bad user input;
/// the tests load the same bytes, so it should never be seen in a built binary.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("embedded geo table {file} is not valid CSV: {source}")]
    Csv {
        file: &'static str,
        #[source]
        source: csv::Error,
    },
    #[error("embedded geo table {file}, record {record}: {reason}")]
    Record {
        file: &'static str,
        record: u64,
        reason: String,
    },
}

/// Why a query did not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NotFoundReason {
    /// Nothing but spaces or punctuation was typed.
    EmptyQuery,
    /// Looks like a postcode or outward code, but no such postcode district exists.
    UnknownOutcode,
    /// No town, city or local authority has that name, even allowing for typos.
    UnknownPlaceName,
}

impl fmt::Display for NotFoundReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EmptyQuery => "no place was given",
            Self::UnknownOutcode => "no such postcode district",
            Self::UnknownPlaceName => "no town, city or council area with that name",
        })
    }
}

/// A query that matched nothing, with the nearest spellings we know (best first), so the
/// page can offer "Did you mean …?" instead of an empty result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{reason}: {query:?}")]
pub struct PlaceNotFound {
    /// The query as matched (trimmed and length-bounded).
    pub query: String,
    pub reason: NotFoundReason,
    /// Strings that `Gazetteer::resolve` accepts. Empty only for an empty query.
    pub suggestions: Vec<String>,
}

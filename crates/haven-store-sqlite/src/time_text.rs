//! Times as SQLite text. A fixed-width UTC format, so that ordering by the text column is
//! ordering by time (RFC 3339's optional fraction digits would break that).

use haven_store::StoreError;
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:9]Z");

/// Formats `at` as fixed-width UTC text.
pub(crate) fn to_text(at: OffsetDateTime) -> Result<String, StoreError> {
    at.to_offset(UtcOffset::UTC)
        .format(FORMAT)
        .map_err(|e| StoreError::Other(format!("formatting a time: {e}")))
}

/// Parses text written by [`to_text`].
pub(crate) fn from_text(what: &'static str, text: &str) -> Result<OffsetDateTime, StoreError> {
    PrimitiveDateTime::parse(text, FORMAT)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|e| StoreError::corrupt(what, e))
}

/// Parses an optional time column written by [`to_text`]; `what` names the table and column in
/// errors (`report resolved_at`), since the error reaches a log far from this row.
pub(crate) fn optional_from_text(
    what: &'static str,
    text: Option<String>,
) -> Result<Option<OffsetDateTime>, StoreError> {
    text.map(|t| from_text(what, &t)).transpose()
}

//! Typed errors: every rejected input names the field that was wrong.

use uuid::Uuid;

/// Why a query was rejected. The web layer turns these into a message for the person.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("near.point: {0}")]
    Point(#[from] haven_geo::LatLonError),
    #[error("near.radius_km must be a number from 0 to {max}, not {value}")]
    Radius { value: f64, max: f64 },
    #[error("page must be at least 1")]
    PageZero,
    #[error("per_page must be from 1 to {max}, not {value}")]
    PerPage { value: u32, max: u32 },
    #[error("page {page} is too deep: at most the first {max} results can be paged through")]
    PageTooDeep { page: u32, max: u64 },
    #[error("open_at.weekday must be 0 (Monday) to 6 (Sunday), not {0}")]
    Weekday(u8),
    #[error("open_at.minute must be below 1440, not {0}")]
    Minute(u16),
    #[error("open_now needs open_at, the current weekday and minute")]
    OpenNowWithoutTime,
    #[error("text is longer than {max} characters")]
    TextTooLong { max: usize },
    #[error("{field} lists more than {max} values")]
    TooManyValues { field: &'static str, max: usize },
}

/// Why a document was rejected by `upsert` or `build`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    #[error("service {id}: hours weekday must be 0 to 6, not {value}")]
    Weekday { id: Uuid, value: u8 },
    #[error("service {id}: hours {field} {value} is out of range")]
    Minute {
        id: Uuid,
        field: &'static str,
        value: u16,
    },
    #[error("service {id}: more than {max} locations")]
    TooManyLocations { id: Uuid, max: usize },
    #[error("the index is full ({max} documents including ones awaiting compaction)")]
    Full { max: u64 },
}

//! The in-memory search index behind Haven's public directory.
//!
//! A person on a cheap phone types "english classes" or "legl advice" (in English, Arabic or
//! anything else), maybe a place and some filters; [`SearchIndex::search`] answers with a
//! page of service ids, the exact total, and exact filter counts. The index holds ids and
//! terms, never the records: the caller maps each service into an [`IndexDoc`] and keeps the
//! records to render hits.
//!
//! Cost: a query touches each document that matches its text and place once (to filter,
//! count facets and rank), plus posting-list walks. That is tens of microseconds for a
//! directory of 10,000 services; it grows with the number of matches, so queries matching
//! tens of thousands of services (a million-service stress corpus) take milliseconds. Run
//! `examples/search_bench.rs` for figures.
//!
//! - Text: Unicode-aware words, Latin diacritics and Arabic marks folded, English Snowball
//!   stemming, a small synonym table, typo tolerance for words no listing contains, BM25F
//!   with field weights (name > organisation > needs > description) and a phrase boost. All
//!   query terms must match (each through its exact form, a synonym or a typo correction).
//! - Place: a radius around a point (haversine), several locations per service (nearest
//!   wins), national and remote services always included and marked, service areas that
//!   cover the place's area ids.
//! - Filters (OR within a list, AND across lists) with disjunctive facet counts, "open now"
//!   from weekly hours and a caller-supplied moment, paging up to 10,000 deep.
//! - Updates: [`SearchIndex::upsert`] and [`SearchIndex::remove`] apply in microseconds;
//!   [`SearchIndex::build`] is the bulk start-up path. See [`SearchIndex`] for sharing it
//!   between threads.
//! - Storage: a built index is `Serialize`/`Deserialize` (for a start-up snapshot, so a
//!   restart reads it instead of building it); a read index is checked before use.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use haven_search::{IndexDoc, OpeningHours, Query, Scope, SearchIndex};
//! let doc = IndexDoc {
//!     id: uuid::Uuid::from_u128(1),
//!     name: "English classes for Roma children".into(),
//!     organisation_name: "Roma Support Group".into(),
//!     description: "Weekly lessons after school.".into(),
//!     need_labels: vec!["ESOL English classes".into()],
//!     needs: vec![7],
//!     languages: vec![1, 12],
//!     eligibility: vec![0],
//!     scope: Scope::Local,
//!     remote: false,
//!     locations: vec![haven_geo::LatLon::new(51.52, -0.07)?],
//!     service_area: vec![],
//!     hours: OpeningHours::Unknown,
//! };
//! let index = SearchIndex::build([doc])?;
//! let results = index.search(&Query { text: "english class".into(), ..Query::default() })?;
//! assert_eq!(results.total, 1);
//! # Ok(()) }
//! ```

pub mod analysis;
mod collect;
mod dictionary;
mod doc;
mod error;
mod facets;
mod geo;
mod hours;
mod index;
mod postings;
mod query;
mod raw;
mod search;
mod stored;
#[cfg(feature = "synthetic")]
pub mod synthetic;

pub use doc::{IndexDoc, MAX_LOCATIONS, MINUTES_PER_DAY, OpeningHours, OpeningInterval, Scope};
pub use error::{DocError, QueryError};
pub use index::SearchIndex;
pub use query::{
    FacetCount, Facets, Hit, MAX_PER_PAGE, MAX_QUERY_TERMS, MAX_RADIUS_KM, MAX_RESULT_DEPTH,
    MAX_TEXT_CHARS, Near, Query, Reach, SearchResults, SortBy, WeekMinute,
};

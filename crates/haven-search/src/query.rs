//! What a search asks for, and what it gets back.

use haven_geo::LatLon;
use uuid::Uuid;

use crate::doc::Scope;
use crate::error::QueryError;

pub const MAX_PER_PAGE: u32 = 100;
/// Deepest result that can be paged to: bounds the top-k heap of one query.
pub const MAX_RESULT_DEPTH: u64 = 10_000;
pub const MAX_TEXT_CHARS: usize = 500;
/// Query terms beyond this are ignored: each costs a posting-list walk.
pub const MAX_QUERY_TERMS: usize = 12;
pub const MAX_FILTER_VALUES: usize = 256;
/// Half the Earth's circumference: every point on Earth is within it.
pub const MAX_RADIUS_KM: f64 = 20_040.0;

/// A place to search around.
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    /// Raw coordinates, validated by the search (NaN, infinities, out-of-range are errors).
    pub lat: f64,
    pub lon: f64,
    /// Kilometres; the caller converts miles.
    pub radius_km: f64,
    /// The caller's ids of the areas the place lies in (e.g. its local authority and its
    /// region): services whose service area lists one of them match at any distance.
    pub area_ids: Vec<u32>,
}

/// A moment in the week, UK local time, for "open now". The caller reads the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekMinute {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// Minutes after midnight, below 1440.
    pub minute: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Best text match first; ties (and queries without text) nearest first. Remaining ties
    /// (e.g. a query with neither text nor place) are in the index's internal order:
    /// national and remote services first, then by area.
    #[default]
    Relevance,
    /// Nearest first; services that reach the place without a nearby location
    /// (service area, national, remote) come after every local one, best match first.
    Distance,
}

/// One search. Filters are OR within a list and AND across lists; an empty list does not
/// filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Free text; empty or only stop words means "no text".
    pub text: String,
    pub near: Option<Near>,
    pub needs: Vec<u16>,
    pub languages: Vec<u16>,
    pub eligibility: Vec<u16>,
    /// The caller's "open to anyone" eligibility id: a service carrying it matches every
    /// eligibility filter. `None` if the directory has no such value.
    pub anyone_eligibility: Option<u16>,
    pub scopes: Vec<Scope>,
    /// The current moment, for the "open now" count and filter; the caller reads the clock.
    pub open_at: Option<WeekMinute>,
    /// Keep only services open at `open_at` (services with unknown hours never are).
    pub open_now: bool,
    pub sort: SortBy,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl Default for Query {
    fn default() -> Self {
        Self {
            text: String::new(),
            near: None,
            needs: Vec::new(),
            languages: Vec::new(),
            eligibility: Vec::new(),
            anyone_eligibility: None,
            scopes: Vec::new(),
            open_at: None,
            open_now: false,
            sort: SortBy::Relevance,
            page: 1,
            per_page: 20,
        }
    }
}

/// A validated place.
#[derive(Debug, Clone)]
pub(crate) struct ValidNear {
    pub point: LatLon,
    pub radius_km: f64,
    pub area_ids: Vec<u32>,
}

impl Query {
    pub(crate) fn validate(&self) -> Result<Option<ValidNear>, QueryError> {
        if self.page == 0 {
            return Err(QueryError::PageZero);
        }
        if self.per_page == 0 || self.per_page > MAX_PER_PAGE {
            return Err(QueryError::PerPage {
                value: self.per_page,
                max: MAX_PER_PAGE,
            });
        }
        if u64::from(self.page) * u64::from(self.per_page) > MAX_RESULT_DEPTH {
            return Err(QueryError::PageTooDeep {
                page: self.page,
                max: MAX_RESULT_DEPTH,
            });
        }
        if self.text.chars().nth(MAX_TEXT_CHARS).is_some() {
            return Err(QueryError::TextTooLong {
                max: MAX_TEXT_CHARS,
            });
        }
        for (field, len) in [
            ("needs", self.needs.len()),
            ("languages", self.languages.len()),
            ("eligibility", self.eligibility.len()),
            (
                "near.area_ids",
                self.near.as_ref().map_or(0, |n| n.area_ids.len()),
            ),
        ] {
            if len > MAX_FILTER_VALUES {
                return Err(QueryError::TooManyValues {
                    field,
                    max: MAX_FILTER_VALUES,
                });
            }
        }
        if let Some(at) = self.open_at {
            if at.weekday > 6 {
                return Err(QueryError::Weekday(at.weekday));
            }
            if at.minute >= crate::doc::MINUTES_PER_DAY {
                return Err(QueryError::Minute(at.minute));
            }
        }
        if self.open_now && self.open_at.is_none() {
            return Err(QueryError::OpenNowWithoutTime);
        }
        let Some(near) = &self.near else {
            return Ok(None);
        };
        let point = LatLon::new(near.lat, near.lon)?;
        if !(near.radius_km.is_finite() && (0.0..=MAX_RADIUS_KM).contains(&near.radius_km)) {
            return Err(QueryError::Radius {
                value: near.radius_km,
                max: MAX_RADIUS_KM,
            });
        }
        Ok(Some(ValidNear {
            point,
            radius_km: near.radius_km,
            area_ids: near.area_ids.clone(),
        }))
    }
}

/// How a hit reaches the searched place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reach {
    /// Its nearest location is this far away (haversine), within the radius.
    Local { distance_km: f64 },
    /// No location within the radius, but its service area covers the place.
    CoversArea,
    /// National scope, no location within the radius.
    National,
    /// Delivered remotely, not national, no location within the radius.
    Remote,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: Uuid,
    /// Text relevance (0 without text); only comparable within one result list.
    pub score: f32,
    /// `None` when the query had no place and the service is local or regional.
    pub reach: Option<Reach>,
}

/// How many results carry one filter value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacetCount<T> {
    pub value: T,
    pub count: u32,
}

/// Counts for the filter panel, disjunctive: the counts for one facet are over the results
/// of the query with every OTHER facet's filter applied (text and place always apply), so
/// ticking a second need shows how many more results it adds. Values with no results are
/// left out; lists are in value order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facets {
    pub needs: Vec<FacetCount<u16>>,
    pub languages: Vec<FacetCount<u16>>,
    pub eligibility: Vec<FacetCount<u16>>,
    pub scopes: Vec<FacetCount<Scope>>,
    /// How many results are open at `Query::open_at` (with every other filter); `None` when
    /// the query has no `open_at`.
    pub open_now: Option<u32>,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// Every matching service, not just this page.
    pub total: u64,
    pub facets: Facets,
}

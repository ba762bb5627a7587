//! A directory search as people and API clients ask for it: parsed and checked once (every
//! mistake named by its field), the place resolved offline, then run against the index.

use haven_geo::{Place, PlaceNotFound};
use haven_hsds::vocabulary::{ImmigrationStatus, Need, Scope, Term};
use haven_search::{Near, Query, SearchResults, SortBy};
use serde::Deserialize;
use time::OffsetDateTime;

use super::Directory;
use super::cards::{eligibility_id, need_id};
use crate::error::FieldProblem;

/// Radius when none is given: wide enough for a town and its surroundings.
pub(crate) const DEFAULT_RADIUS_KM: f64 = 25.0;
/// Results per page on the pages.
pub(crate) const PAGE_SIZE: u32 = 20;
const KM_PER_MILE: f64 = 1.609_344;

/// The query string of `/search` and `/api/services`. Repeated keys (`need=a&need=b`) are lists.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct SearchParams {
    /// Free text (`search` is HSDS's name for it).
    pub q: Option<String>,
    pub search: Option<String>,
    /// A postcode, outward code or town (`postcode` is HSDS's name).
    pub place: Option<String>,
    pub postcode: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    /// HSDS's `proximity`: a radius in km.
    pub proximity: Option<String>,
    pub radius_km: Option<String>,
    /// The page form's radius with `unit` (km or miles).
    pub radius: Option<String>,
    pub unit: Option<String>,
    pub need: Vec<String>,
    pub taxonomy_term_id: Vec<String>,
    pub language: Vec<String>,
    pub eligibility: Vec<String>,
    pub scope: Vec<String>,
    pub open_now: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// A search ready to run.
#[derive(Debug, Clone)]
pub(crate) struct Search {
    pub text: String,
    pub place_query: Option<String>,
    pub point: Option<(f64, f64)>,
    pub radius_km: f64,
    pub miles: bool,
    pub needs: Vec<Need>,
    pub languages: Vec<String>,
    pub eligibility: Vec<ImmigrationStatus>,
    pub scopes: Vec<Scope>,
    pub open_now: bool,
    pub sort: Option<SortBy>,
    pub page: u32,
    pub per_page: u32,
}

fn problem(field: &str, message: &'static str) -> FieldProblem {
    FieldProblem {
        field: field.to_owned(),
        message,
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn number(value: &Option<String>, field: &str, problems: &mut Vec<FieldProblem>) -> Option<f64> {
    let text = non_empty(value)?;
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            problems.push(problem(field, "search-error-number"));
            None
        }
    }
}

impl SearchParams {
    /// Checks every parameter; all problems are reported together.
    pub fn parse(&self, max_per_page: u32) -> Result<Search, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let text = non_empty(&self.q)
            .or(non_empty(&self.search))
            .unwrap_or("")
            .to_owned();
        if text.chars().count() > haven_search::MAX_TEXT_CHARS {
            problems.push(problem("q", "search-error-text-long"));
        }
        let place_query = non_empty(&self.place)
            .or(non_empty(&self.postcode))
            .map(str::to_owned);
        let lat = number(&self.lat, "lat", &mut problems);
        let lon = number(&self.lon, "lon", &mut problems);
        let point = match (lat, lon) {
            (Some(lat), Some(lon)) if haven_geo::LatLon::new(lat, lon).is_ok() => Some((lat, lon)),
            (Some(_), Some(_)) => {
                problems.push(problem("lat", "search-error-coordinates"));
                None
            }
            (Some(_), None) | (None, Some(_)) => {
                problems.push(problem("lon", "search-error-coordinates"));
                None
            }
            (None, None) => None,
        };
        let miles = non_empty(&self.unit).is_some_and(|u| u.eq_ignore_ascii_case("miles"));
        let radius = number(&self.radius_km, "radius_km", &mut problems)
            .or(number(&self.proximity, "proximity", &mut problems))
            .or(number(&self.radius, "radius", &mut problems)
                .map(|r| if miles { r * KM_PER_MILE } else { r }));
        let radius_km = radius.unwrap_or(DEFAULT_RADIUS_KM);
        if !(0.0..=haven_search::MAX_RADIUS_KM).contains(&radius_km) {
            problems.push(problem("radius", "search-error-radius"));
        }
        let mut needs = Vec::new();
        for code in &self.need {
            match Need::from_code(code.trim()) {
                Some(need) => needs.push(need),
                None => problems.push(problem("need", "search-error-need")),
            }
        }
        for id in &self.taxonomy_term_id {
            let need = Need::ALL
                .iter()
                .find(|n| n.term_id().to_string() == id.trim());
            match need {
                Some(need) => needs.push(*need),
                None => problems.push(problem("taxonomy_term_id", "search-error-need")),
            }
        }
        let mut eligibility = Vec::new();
        for code in &self.eligibility {
            match ImmigrationStatus::from_code(code.trim()) {
                Some(status) => eligibility.push(status),
                None => problems.push(problem("eligibility", "search-error-eligibility")),
            }
        }
        let mut scopes = Vec::new();
        for code in &self.scope {
            match Scope::from_code(code.trim()) {
                Some(scope) => scopes.push(scope),
                None => problems.push(problem("scope", "search-error-scope")),
            }
        }
        let languages = self
            .language
            .iter()
            .map(|l| l.trim().to_lowercase())
            .filter(|l| !l.is_empty())
            .collect();
        let open_now =
            non_empty(&self.open_now).is_some_and(|v| matches!(v, "1" | "true" | "on" | "yes"));
        let sort = match non_empty(&self.sort) {
            None => None,
            Some("distance") => Some(SortBy::Distance),
            Some("relevance") => Some(SortBy::Relevance),
            Some(_) => {
                problems.push(problem("sort", "search-error-sort"));
                None
            }
        };
        let page = match non_empty(&self.page).map(str::parse::<u32>) {
            None => 1,
            Some(Ok(page)) if page >= 1 => page,
            Some(_) => {
                problems.push(problem("page", "search-error-page"));
                1
            }
        };
        let per_page = match non_empty(&self.per_page).map(str::parse::<u32>) {
            None => PAGE_SIZE.min(max_per_page),
            Some(Ok(n)) if (1..=max_per_page).contains(&n) => n,
            Some(_) => {
                problems.push(problem("per_page", "search-error-per-page"));
                PAGE_SIZE
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Search {
            text,
            place_query,
            point,
            radius_km,
            miles,
            needs,
            languages,
            eligibility,
            scopes,
            open_now,
            sort,
            page,
            per_page,
        })
    }
}

/// Where the search is centred.
#[derive(Debug, Clone)]
pub(crate) enum Centre {
    /// Nowhere: a UK-wide search.
    Anywhere,
    /// A place the gazetteer knows.
    Place(Box<Place>),
    /// A point the browser gave ("use my location").
    Point(f64, f64),
}

/// A search's outcome.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Results.
    Found {
        centre: Centre,
        results: SearchResults,
    },
    /// The place is unknown; suggestions instead of an empty list.
    UnknownPlace(PlaceNotFound),
}

/// Runs `search` against `directory` at time `now`.
pub(crate) fn run(
    directory: &Directory,
    gazetteer: &haven_geo::Gazetteer,
    search: &Search,
    now: OffsetDateTime,
) -> Result<Outcome, haven_search::QueryError> {
    let centre = match (&search.point, &search.place_query) {
        (Some((lat, lon)), _) => Centre::Point(*lat, *lon),
        (None, Some(query)) => match gazetteer.resolve(query) {
            Ok(place) => Centre::Place(Box::new(place)),
            Err(not_found) => return Ok(Outcome::UnknownPlace(not_found)),
        },
        (None, None) => Centre::Anywhere,
    };
    let near = match &centre {
        Centre::Anywhere => None,
        Centre::Place(place) => Some(Near {
            lat: place.point.lat(),
            lon: place.point.lon(),
            radius_km: search.radius_km.max(place.radius_km),
            area_ids: directory.area_ids(place),
        }),
        Centre::Point(lat, lon) => Some(Near {
            lat: *lat,
            lon: *lon,
            radius_km: search.radius_km,
            // The areas of the nearest postcode district: a scan of every district, so only
            // when some service covers an area at all.
            area_ids: haven_geo::LatLon::new(*lat, *lon)
                .ok()
                .filter(|_| !directory.area_names.is_empty())
                .and_then(|point| gazetteer.nearest_outcode(point))
                .map(|place| directory.area_ids(&place))
                .unwrap_or_default(),
        }),
    };
    let anyone = eligibility_id(ImmigrationStatus::Anyone);
    let sort = search
        .sort
        .unwrap_or(if near.is_some() && search.text.is_empty() {
            SortBy::Distance
        } else {
            SortBy::Relevance
        });
    let query = Query {
        text: search.text.clone(),
        near,
        needs: search.needs.iter().map(|n| need_id(*n)).collect(),
        // A language nobody lists matches nothing, as it should: map it to an id no one has.
        languages: search
            .languages
            .iter()
            .map(|code| directory.language_id(code).unwrap_or(u16::MAX))
            .collect(),
        eligibility: search
            .eligibility
            .iter()
            .map(|e| eligibility_id(*e))
            .collect(),
        anyone_eligibility: Some(anyone),
        scopes: search
            .scopes
            .iter()
            .map(|s| match s {
                Scope::Local => haven_search::Scope::Local,
                Scope::Regional => haven_search::Scope::Regional,
                Scope::National => haven_search::Scope::National,
            })
            .collect(),
        open_at: Some(super::uk_time::week_minute(now)),
        open_now: search.open_now,
        sort,
        page: search.page,
        per_page: search.per_page,
    };
    let results = directory.index.search(&query)?;
    Ok(Outcome::Found { centre, results })
}

//! `/search`: "what do you need help with, where are you" answered with nearby services, national
//! and remote ones marked as such, filters with counts, and paging. Plain HTML forms.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Query;
use haven_hsds::vocabulary::{ImmigrationStatus, Need, Scope, Term};
use haven_search::{Reach, SearchResults};

use crate::AppError;
use crate::directory::search::{Centre, Outcome, SearchParams, run};
use crate::directory::{Directory, ServiceCard};
use crate::error::page_with_status;
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::pages::views::{ServiceView, service_view};
use crate::state::AppState;

/// One filter choice with its count.
pub(crate) struct FacetView {
    pub name: &'static str,
    pub value: String,
    pub label: String,
    pub count: u32,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    place: String,
    radius: String,
    miles: bool,
    heading: String,
    summary: String,
    suggestions: Vec<String>,
    results: Vec<ServiceView>,
    facet_groups: Vec<(String, Vec<FacetView>)>,
    open_now: bool,
    open_now_count: Option<u32>,
    problems: Vec<(String, String)>,
    previous: Option<String>,
    next: Option<String>,
}

fn facet_groups(
    tr: &Tr,
    directory: &Directory,
    results: &SearchResults,
    params: &SearchParams,
) -> Vec<(String, Vec<FacetView>)> {
    let needs = results
        .facets
        .needs
        .iter()
        .filter_map(|f| {
            let need = *Need::ALL.get(usize::from(f.value))?;
            Some(FacetView {
                name: "need",
                value: need.code().to_owned(),
                label: tr.get(&format!("need-{}", need.code())),
                count: f.count,
                checked: params.need.iter().any(|n| n == need.code()),
            })
        })
        .collect();
    let languages = results
        .facets
        .languages
        .iter()
        .filter_map(|f| {
            let code = directory.language_codes.get(usize::from(f.value))?;
            Some(FacetView {
                name: "language",
                value: code.clone(),
                label: haven_domain::spoken::spoken(code)
                    .map_or(code.clone(), |s| s.autonym.to_owned()),
                count: f.count,
                checked: params.language.iter().any(|l| l.eq_ignore_ascii_case(code)),
            })
        })
        .collect();
    let eligibility = results
        .facets
        .eligibility
        .iter()
        .filter_map(|f| {
            let status = *ImmigrationStatus::ALL.get(usize::from(f.value))?;
            Some(FacetView {
                name: "eligibility",
                value: status.code().to_owned(),
                label: tr.get(&format!("eligibility-{}", status.code())),
                count: f.count,
                checked: params.eligibility.iter().any(|e| e == status.code()),
            })
        })
        .collect();
    let scopes = results
        .facets
        .scopes
        .iter()
        .map(|f| {
            let scope = match f.value {
                haven_search::Scope::Local => Scope::Local,
                haven_search::Scope::Regional => Scope::Regional,
                haven_search::Scope::National => Scope::National,
            };
            FacetView {
                name: "scope",
                value: scope.code().to_owned(),
                label: tr.get(&format!("scope-{}", scope.code())),
                count: f.count,
                checked: params.scope.iter().any(|s| s == scope.code()),
            }
        })
        .collect();
    vec![
        (tr.get("filter-need"), needs),
        (tr.get("filter-language"), languages),
        (tr.get("filter-eligibility"), eligibility),
        (tr.get("filter-scope"), scopes),
    ]
}

/// The same search on another page.
fn page_link(params: &SearchParams, page: u32) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let mut push = |key: &'static str, value: &Option<String>| {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            pairs.push((key, v.to_owned()));
        }
    };
    push("q", &params.q);
    push("place", &params.place);
    push("radius", &params.radius);
    push("unit", &params.unit);
    push("open_now", &params.open_now);
    push("sort", &params.sort);
    for (key, values) in [
        ("need", &params.need),
        ("language", &params.language),
        ("eligibility", &params.eligibility),
        ("scope", &params.scope),
    ] {
        for value in values {
            pairs.push((key, value.clone()));
        }
    }
    pairs.push(("page", page.to_string()));
    let query = serde_html_form::to_string(&pairs).unwrap_or_default();
    format!("/search?{query}")
}

/// `GET /search`.
pub(crate) async fn show(
    State(state): State<AppState>,
    tr: Tr,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let directory = state.directory().current();
    let now = state.clock().now();
    let mut page = SearchPage {
        chrome: Chrome::new(&state, tr.clone(), "/search", state.config().demo_notice),
        q: params.q.clone().unwrap_or_default(),
        place: params.place.clone().unwrap_or_default(),
        radius: params.radius.clone().unwrap_or_default(),
        miles: params.unit.as_deref() == Some("miles"),
        heading: tr.get("search-title"),
        summary: String::new(),
        suggestions: Vec::new(),
        results: Vec::new(),
        facet_groups: Vec::new(),
        open_now: false,
        open_now_count: None,
        problems: Vec::new(),
        previous: None,
        next: None,
    };
    let search = match params.parse(haven_search::MAX_PER_PAGE) {
        Ok(search) => search,
        Err(problems) => {
            page.problems = tr.problems(problems);
            return Ok(page_with_status(StatusCode::BAD_REQUEST, render(&page)?));
        }
    };
    page.open_now = search.open_now;
    let outcome = run(&directory, state.gazetteer(), &search, now)
        .map_err(|e| AppError::internal(format!("search: {e}")))?;
    match outcome {
        Outcome::UnknownPlace(not_found) => {
            page.summary = tr.get_with("search-place-unknown", &[("place", &not_found.query)]);
            page.suggestions = not_found.suggestions;
        }
        Outcome::Found { centre, results } => {
            let place_label = match &centre {
                Centre::Place(place) => Some(place.label.clone()),
                Centre::Point(..) => Some(tr.get("search-your-location")),
                Centre::Anywhere => None,
            };
            let total = results.total.to_string();
            page.summary = match &place_label {
                Some(label) => tr.get_with(
                    "search-summary-near",
                    &[("count", &total), ("place", label)],
                ),
                None => tr.get_with("search-summary", &[("count", &total)]),
            };
            page.results = results
                .hits
                .iter()
                .filter_map(|hit| {
                    let card: ServiceCard = directory.services.get(hit.id)?;
                    Some(service_view(&tr, &card, hit.reach, search.miles, now))
                })
                .collect();
            page.facet_groups = facet_groups(&tr, &directory, &results, &params);
            page.open_now_count = results.facets.open_now;
            let pages = results.total.div_ceil(u64::from(search.per_page));
            if search.page > 1 {
                page.previous = Some(page_link(&params, search.page - 1));
            }
            if u64::from(search.page) < pages {
                page.next = Some(page_link(&params, search.page + 1));
            }
        }
    }
    Ok(render(&page)?.into_response())
}

/// How far, or how a service reaches the person, in words.
pub(crate) fn reach_text(tr: &Tr, reach: Option<Reach>, miles: bool) -> Option<String> {
    Some(match reach? {
        Reach::Local { distance_km } => {
            if miles {
                tr.get_with(
                    "reach-distance-miles",
                    &[("distance", &format!("{:.1}", distance_km / 1.609_344))],
                )
            } else {
                tr.get_with(
                    "reach-distance-km",
                    &[("distance", &format!("{distance_km:.1}"))],
                )
            }
        }
        Reach::CoversArea => tr.get("reach-area"),
        Reach::National => tr.get("reach-national"),
        Reach::Remote => tr.get("reach-remote"),
    })
}

//! A brute-force implementation of the index's documented semantics: a linear scan over the
//! documents with the same analyser. The property tests check the index against it.

use std::collections::{BTreeMap, BTreeSet};

use haven_search::analysis::{Analyzer, typo_budget, within_edits};
use haven_search::{FacetCount, IndexDoc, MAX_QUERY_TERMS, OpeningHours, Query, Reach, Scope};
use uuid::Uuid;

#[derive(Debug)]
pub struct Oracle {
    docs: Vec<(IndexDoc, BTreeSet<String>)>,
    vocabulary: BTreeSet<String>,
    analyzer: Analyzer,
}

#[derive(Debug, PartialEq)]
pub struct Expected {
    pub ids: BTreeMap<Uuid, Option<Reach>>,
    pub needs: Vec<FacetCount<u16>>,
    pub languages: Vec<FacetCount<u16>>,
    pub eligibility: Vec<FacetCount<u16>>,
    pub scopes: Vec<FacetCount<Scope>>,
    pub open_now: Option<u32>,
}

fn open_at(hours: &OpeningHours, weekday: u8, minute: u16) -> bool {
    let OpeningHours::Weekly(intervals) = hours else {
        return false;
    };
    intervals.iter().any(|i| {
        if i.close_minute > i.open_minute {
            i.weekday == weekday && (i.open_minute..i.close_minute).contains(&minute)
        } else {
            (i.weekday == weekday && minute >= i.open_minute)
                || ((i.weekday + 1) % 7 == weekday && minute < i.close_minute)
        }
    })
}

fn any_in(doc_values: &[u16], wanted: &[u16]) -> bool {
    wanted.is_empty() || doc_values.iter().any(|v| wanted.contains(v))
}

impl Oracle {
    /// `docs` are the live documents, one per id.
    pub fn new(docs: Vec<IndexDoc>) -> Self {
        let analyzer = Analyzer::new();
        let mut vocabulary = BTreeSet::new();
        let docs = docs
            .into_iter()
            .map(|d| {
                let mut terms = BTreeSet::new();
                for text in [&d.name, &d.organisation_name, &d.description]
                    .into_iter()
                    .chain(d.need_labels.iter())
                {
                    terms.extend(analyzer.terms(text));
                }
                vocabulary.extend(terms.iter().cloned());
                (d, terms)
            })
            .collect();
        Self {
            docs,
            vocabulary,
            analyzer,
        }
    }

    fn expansions(&self, term: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::from([term.to_string()]);
        out.extend(self.analyzer.synonyms(term).iter().map(|s| s.to_string()));
        if !self.vocabulary.contains(term) {
            let budget = typo_budget(term);
            out.extend(
                self.vocabulary
                    .iter()
                    .filter(|v| budget > 0 && within_edits(term, v, budget))
                    .cloned(),
            );
        }
        out
    }

    fn reach(&self, doc: &IndexDoc, query: &Query) -> Option<Option<Reach>> {
        let Some(near) = &query.near else {
            return Some(if doc.scope == Scope::National {
                Some(Reach::National)
            } else if doc.remote {
                Some(Reach::Remote)
            } else {
                None
            });
        };
        let centre = haven_geo::LatLon::new(near.lat, near.lon).unwrap();
        let nearest = doc
            .locations
            .iter()
            .map(|l| centre.haversine_km(*l))
            .fold(f64::INFINITY, f64::min);
        if nearest <= near.radius_km {
            return Some(Some(Reach::Local {
                distance_km: nearest,
            }));
        }
        if doc.service_area.iter().any(|a| near.area_ids.contains(a)) {
            return Some(Some(Reach::CoversArea));
        }
        if doc.scope == Scope::National {
            return Some(Some(Reach::National));
        }
        if doc.remote {
            return Some(Some(Reach::Remote));
        }
        None
    }

    pub fn run(&self, query: &Query) -> Expected {
        let mut terms = self.analyzer.terms(&query.text);
        terms.truncate(MAX_QUERY_TERMS);
        let groups: Vec<BTreeSet<String>> = terms.iter().map(|t| self.expansions(t)).collect();
        let mut eligibility = query.eligibility.clone();
        if !eligibility.is_empty() {
            eligibility.extend(query.anyone_eligibility);
        }
        let mut ids = BTreeMap::new();
        let mut counts: [BTreeMap<u16, u32>; 3] = Default::default();
        let mut scopes: BTreeMap<Scope, u32> = BTreeMap::new();
        let mut open_count = 0;
        for (doc, doc_terms) in &self.docs {
            if !groups
                .iter()
                .all(|g| g.iter().any(|t| doc_terms.contains(t)))
            {
                continue;
            }
            let Some(reach) = self.reach(doc, query) else {
                continue;
            };
            let open = query
                .open_at
                .is_some_and(|at| open_at(&doc.hours, at.weekday, at.minute));
            let passes = [
                any_in(&doc.needs, &query.needs),
                any_in(&doc.languages, &query.languages),
                any_in(&doc.eligibility, &eligibility),
                query.scopes.is_empty() || query.scopes.contains(&doc.scope),
                !query.open_now || open,
            ];
            let others_pass = |skip: usize| passes.iter().enumerate().all(|(i, p)| i == skip || *p);
            for (f, values) in [&doc.needs, &doc.languages, &doc.eligibility]
                .into_iter()
                .enumerate()
            {
                if others_pass(f) {
                    let distinct: BTreeSet<u16> = values.iter().copied().collect();
                    for v in distinct {
                        *counts[f].entry(v).or_default() += 1;
                    }
                }
            }
            if others_pass(3) {
                *scopes.entry(doc.scope).or_default() += 1;
            }
            if others_pass(4) && open {
                open_count += 1;
            }
            if passes.iter().all(|p| *p) {
                ids.insert(doc.id, reach);
            }
        }
        let list = |m: &BTreeMap<u16, u32>| {
            m.iter()
                .map(|(&value, &count)| FacetCount { value, count })
                .collect::<Vec<_>>()
        };
        Expected {
            ids,
            needs: list(&counts[0]),
            languages: list(&counts[1]),
            eligibility: list(&counts[2]),
            scopes: scopes
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect(),
            open_now: query.open_at.map(|_| open_count),
        }
    }
}

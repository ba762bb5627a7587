//! Where every candidate ends up: filters, disjunctive facet counts, total, and a bounded
//! top-k heap. Nothing here grows with the corpus: counts are per filter value and the heap
//! holds at most `page × per_page` entries.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::doc::Scope;
use crate::facets::{FACETS, SlotFilter, unpack_spill};
use crate::geo::Circle;
use crate::hours;
use crate::index::{HOURS_KNOWN, REMOTE, SPILL, SearchIndex};
use crate::query::{FacetCount, Facets, Hit, Query, Reach, SortBy};

/// Filter bits, in the order `Collector::consider` evaluates them.
pub(crate) const F_SCOPE: u8 = 3;
pub(crate) const F_OPEN: u8 = 4;

/// A query's filters, in index terms.
#[derive(Debug)]
pub(crate) struct Filters {
    pub facet: [SlotFilter; 3],
    /// Bit per `Scope::index`; 0 = no scope filter.
    pub scopes: u8,
    pub open_at: Option<u32>,
    pub open_now: bool,
}

impl Filters {
    pub fn new(index: &SearchIndex, query: &Query) -> Self {
        let eligibility = if query.eligibility.is_empty() {
            Vec::new()
        } else {
            let mut e = query.eligibility.clone();
            e.extend(query.anyone_eligibility);
            e
        };
        Self {
            facet: [
                SlotFilter::new(&index.facets[0], query.needs.iter().copied()),
                SlotFilter::new(&index.facets[1], query.languages.iter().copied()),
                SlotFilter::new(&index.facets[2], eligibility),
            ],
            scopes: query.scopes.iter().fold(0, |m, s| m | 1 << s.index()),
            open_at: query
                .open_at
                .map(|at| u32::from(at.weekday) * 1440 + u32::from(at.minute)),
            open_now: query.open_now,
        }
    }
}

/// How a candidate reaches the place, with what ranking needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Found {
    /// The query had no place and the service is neither national nor remote.
    Unplaced,
    /// `loc` indexes the location arrays; `chord2` orders by distance.
    Local {
        loc: u32,
        chord2: f64,
    },
    CoversArea,
    National,
    Remote,
}

impl Found {
    fn distance_key(self) -> f64 {
        match self {
            Found::Local { chord2, .. } => chord2,
            Found::CoversArea => 10.0,
            Found::National => 11.0,
            Found::Remote => 12.0,
            Found::Unplaced => 20.0,
        }
    }

    /// For queries without a place: national and remote services are still marked.
    pub fn unplaced(flags: u8, scope: Scope) -> Self {
        if scope == Scope::National {
            Found::National
        } else if flags & REMOTE != 0 {
            Found::Remote
        } else {
            Found::Unplaced
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Ranked {
    primary: f64,
    secondary: f64,
    doc: u32,
    score: f32,
    found: Found,
}

impl Ranked {
    fn cmp_key(&self, other: &Self) -> Ordering {
        self.primary
            .total_cmp(&other.primary)
            .then(self.secondary.total_cmp(&other.secondary))
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_key(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    /// Smaller is better; the heap's top is the worst kept entry.
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_key(other)
    }
}

pub(crate) struct Collector<'a> {
    index: &'a SearchIndex,
    filters: &'a Filters,
    sort: SortBy,
    keep: usize,
    heap: BinaryHeap<Ranked>,
    pub total: u64,
    counts: [Vec<u32>; 3],
    scope_counts: [u32; 3],
    open_count: u32,
    /// A filter whose counts the caller supplies from the index-wide tallies.
    counted_elsewhere: Option<u8>,
    /// Whether the query has a place; without one, reach does not order results.
    placed: bool,
}

impl<'a> Collector<'a> {
    pub fn new(index: &'a SearchIndex, filters: &'a Filters, query: &Query) -> Self {
        Self {
            index,
            filters,
            sort: query.sort,
            keep: (query.page as usize).saturating_mul(query.per_page as usize),
            heap: BinaryHeap::new(),
            total: 0,
            counts: [0, 1, 2].map(|f| vec![0; index.facets[f].values.len()]),
            scope_counts: [0; 3],
            open_count: 0,
            counted_elsewhere: None,
            placed: query.near.is_some(),
        }
    }

    /// Takes every facet count from the index-wide tallies (a query with no filter).
    pub fn take_tallies(&mut self) {
        for (counts, facet) in self.counts.iter_mut().zip(&self.index.facets) {
            counts.clone_from(&facet.live);
        }
        self.scope_counts = self.index.scope_live;
    }

    pub fn page_full(&self) -> bool {
        self.heap.len() >= self.keep
    }

    /// Ranks a document without filtering or counting it (the caller did both).
    pub fn offer_only(&mut self, doc: u32, found: Found) {
        self.offer(doc, found, 0.0);
    }

    pub fn count_elsewhere(&mut self, filter: u8) {
        self.counted_elsewhere = Some(filter);
    }

    /// Applies the filters to one candidate (already known to match text and place) and
    /// records it. Each candidate must be offered at most once.
    pub fn consider(&mut self, doc: u32, found: Found, score: f32) {
        self.consider_with(doc, score, || found);
    }

    /// As [`Collector::consider`] for a document known to match, whose reach (which only
    /// ranking needs) is worked out only if it passes every filter.
    pub fn consider_with(&mut self, doc: u32, score: f32, found: impl FnOnce() -> Found) {
        self.consider_scored(doc, || (found(), score));
    }

    /// As [`Collector::consider`], with the reach and the score (which only ranking needs)
    /// worked out only if the document passes every filter: a text query with a filter
    /// then scores only the matches it can show.
    pub fn consider_scored(&mut self, doc: u32, rank: impl FnOnce() -> (Found, f32)) {
        if let Some(open) = self.filter(doc) {
            let (found, score) = rank();
            self.pass(doc, found, score, open);
        }
    }

    /// Applies the filters: a document failing exactly one filter is counted towards that
    /// filter's other values here; one passing them all returns whether it is open now, and
    /// the caller must hand it to [`Collector::pass`].
    fn filter(&mut self, doc: u32) -> Option<bool> {
        let meta = self.index.docs.get(doc as usize)?;
        let spill = if meta.flags & SPILL != 0 {
            self.index.spill.of(doc)
        } else {
            &[]
        };
        let mut fails = 0u8;
        for (f, facet) in FACETS.iter().enumerate() {
            if !self.filters.facet[f].passes(meta.masks[f], spill, *facet) {
                fails |= 1 << f;
            }
        }
        let scope = meta.scope().index();
        if self.filters.scopes != 0 && self.filters.scopes & (1 << scope) == 0 {
            fails |= 1 << F_SCOPE;
        }
        // Hours are read only when the answer can change a count: the document passes every
        // other filter, or fails exactly one of them and "open now" is itself a filter.
        let needs_open = fails == 0 || (self.filters.open_now && fails.is_power_of_two());
        let open = match self.filters.open_at {
            Some(at) if needs_open => {
                meta.flags & HOURS_KNOWN != 0 && hours::is_open(self.index.hours.of(doc), at)
            }
            _ => false,
        };
        if self.filters.open_now && !open {
            fails |= 1 << F_OPEN;
        }
        if fails == 0 {
            Some(open)
        } else {
            if fails.is_power_of_two() {
                // Fails only this filter: it counts towards that filter's other values.
                let (masks, spill) = (meta.masks, spill);
                let f = fails.trailing_zeros() as u8;
                self.count(f, doc, masks, spill);
            }
            None
        }
    }

    /// Records a document that passed every filter: total, page, every count.
    fn pass(&mut self, doc: u32, found: Found, score: f32, open: bool) {
        let Some(meta) = self.index.docs.get(doc as usize) else {
            return;
        };
        let spill = if meta.flags & SPILL != 0 {
            self.index.spill.of(doc)
        } else {
            &[]
        };
        let masks = meta.masks;
        self.total += 1;
        self.offer(doc, found, score);
        for f in 0..3u8 {
            self.count(f, doc, masks, spill);
        }
        self.count(F_SCOPE, doc, masks, spill);
        if open {
            self.open_count += 1;
        }
    }

    fn count(&mut self, filter: u8, doc: u32, masks: [u64; 3], spill: &[u32]) {
        if self.counted_elsewhere == Some(filter) {
            return;
        }
        if filter == F_SCOPE {
            if let Some(meta) = self.index.docs.get(doc as usize) {
                self.scope_counts[meta.scope().index()] += 1;
            }
            return;
        }
        let f = filter as usize;
        let Some(counts) = self.counts.get_mut(f) else {
            return;
        };
        let mut mask = masks[f];
        while mask != 0 {
            if let Some(c) = counts.get_mut(mask.trailing_zeros() as usize) {
                *c += 1;
            }
            mask &= mask - 1;
        }
        for &packed in spill {
            let (pf, slot) = unpack_spill(packed);
            if pf == u32::from(filter)
                && let Some(c) = counts.get_mut(usize::from(slot))
            {
                *c += 1;
            }
        }
    }

    fn offer(&mut self, doc: u32, found: Found, score: f32) {
        if self.keep == 0 {
            return;
        }
        let distance = if self.placed {
            found.distance_key()
        } else {
            0.0
        };
        let (primary, secondary) = match self.sort {
            SortBy::Relevance => (-f64::from(score), distance),
            SortBy::Distance => (distance, -f64::from(score)),
        };
        let entry = Ranked {
            primary,
            secondary,
            doc,
            score,
            found,
        };
        if self.heap.len() < self.keep {
            self.heap.push(entry);
        } else if self.heap.peek().is_some_and(|worst| entry < *worst) {
            self.heap.pop();
            self.heap.push(entry);
        }
    }

    /// The requested page and the facet counts.
    pub fn finish(
        mut self,
        page: u32,
        per_page: u32,
        circle: Option<&Circle>,
    ) -> (Vec<Hit>, u64, Facets) {
        let index = self.index;
        if let Some(filter) = self.counted_elsewhere {
            if filter == F_SCOPE {
                self.scope_counts = index.scope_live;
            } else if let Some(counts) = self.counts.get_mut(filter as usize) {
                counts.clone_from(&index.facets[filter as usize].live);
            }
        }
        let ranked = std::mem::take(&mut self.heap).into_sorted_vec();
        let skip = (page as usize - 1).saturating_mul(per_page as usize);
        let hits = ranked
            .into_iter()
            .skip(skip)
            .take(per_page as usize)
            .filter_map(|r| {
                let id = *index.ids.get(r.doc as usize)?;
                let reach = match r.found {
                    Found::Unplaced => None,
                    Found::Local { loc, .. } => {
                        let point = index.loc_points.items_at(loc)?;
                        let distance_km = circle.map_or(0.0, |c| c.centre.haversine_km(point));
                        Some(Reach::Local { distance_km })
                    }
                    Found::CoversArea => Some(Reach::CoversArea),
                    Found::National => Some(Reach::National),
                    Found::Remote => Some(Reach::Remote),
                };
                Some(Hit {
                    id,
                    score: r.score,
                    reach,
                })
            })
            .collect();
        let facet_list = |f: usize| -> Vec<FacetCount<u16>> {
            let values = &index.facets[f].values;
            let mut list: Vec<FacetCount<u16>> = self.counts[f]
                .iter()
                .zip(values)
                .filter(|(c, _)| **c > 0)
                .map(|(&count, &value)| FacetCount { value, count })
                .collect();
            list.sort_unstable_by_key(|c| c.value);
            list
        };
        let facets = Facets {
            needs: facet_list(0),
            languages: facet_list(1),
            eligibility: facet_list(2),
            scopes: Scope::ALL
                .iter()
                .map(|&s| FacetCount {
                    value: s,
                    count: self.scope_counts[s.index()],
                })
                .filter(|c| c.count > 0)
                .collect(),
            open_now: self.filters.open_at.map(|_| self.open_count),
        };
        (hits, self.total, facets)
    }
}

//! Running a query: pick the cheapest source of candidates, then hand each one to the
//! collector exactly once.
//!
//! - With text, the text postings drive (document-at-a-time intersection, smallest term
//!   first, galloping over the others) and place is checked per candidate.
//! - With a place and no text, the geo cells intersecting the circle drive, plus the list
//!   of national/remote services and the lists of services covering the place's areas.
//! - With neither, the smallest filter postings drive; with no filter at all the counts are
//!   the index-wide tallies and the page is the first live documents.

use std::borrow::Cow;

use crate::analysis::typo_budget;
use crate::collect::{Collector, F_SCOPE, Filters, Found};
use crate::doc::Scope;
use crate::error::QueryError;
use rustc_hash::FxHashMap;

use crate::geo::{Cell, CellRange, Circle, cell_of, chord2};
use crate::index::{
    DocMeta, EVERYWHERE, FIELD_DESCRIPTION, FIELD_NAME, FIELD_NEEDS, FIELD_ORGANISATION,
    SearchIndex, bigram_key,
};
use crate::postings::{advance, union_sorted};
use crate::query::{MAX_QUERY_TERMS, Query, SearchResults};

/// BM25 parameters: the usual defaults.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Name outranks organisation name outranks need labels outranks description.
const FIELD_WEIGHTS: [f32; 4] = {
    let mut w = [0.0; 4];
    w[FIELD_NAME] = 3.0;
    w[FIELD_ORGANISATION] = 2.0;
    w[FIELD_NEEDS] = 1.5;
    w[FIELD_DESCRIPTION] = 1.0;
    w
};
const SYNONYM_WEIGHT: f32 = 0.8;
const TYPO_WEIGHTS: [f32; 3] = [1.0, 0.6, 0.4];
/// Two query terms found side by side in a short field add this much of their idf.
const PHRASE_WEIGHT: f32 = 1.0;
/// With text and a place, relevance fades by up to this fraction at the edge of the radius
/// (and for services reaching the place from further away).
const DISTANCE_FADE: f32 = 0.25;
/// Candidates found before their documents are read (see `intersect`).
const BATCH: usize = 64;

/// BM25F term-frequency saturation for every (field, tf, length) a posting can have,
/// computed once per query so scoring a candidate is table lookups, not divisions.
struct ScoreTable {
    /// `[field][tf - 1][min(length, 127)]`, field weight included.
    cells: [[[f32; 128]; 3]; 4],
}

impl ScoreTable {
    fn new(index: &SearchIndex) -> Self {
        let live = f64::from(index.live.max(1));
        let mut cells = [[[0.0; 128]; 3]; 4];
        for (f, by_tf) in cells.iter_mut().enumerate() {
            let avg = ((index.field_len_sum[f] as f64 / live) as f32).max(1.0);
            for (t, by_len) in by_tf.iter_mut().enumerate() {
                let tf = (t + 1) as f32;
                for (len, cell) in by_len.iter_mut().enumerate() {
                    let norm = 1.0 - B + B * len as f32 / avg;
                    *cell = FIELD_WEIGHTS[f] * tf * (K1 + 1.0) / (tf + K1 * norm);
                }
            }
        }
        Self { cells }
    }

    /// One posting's contribution: its per-field frequencies against the field lengths.
    fn score(&self, byte: u8, lens: [u8; 4]) -> f32 {
        let mut score = 0.0;
        for (f, by_tf) in self.cells.iter().enumerate() {
            let tf = usize::from((byte >> (2 * f)) & 3);
            if tf > 0 {
                let len = usize::from(lens[f]).min(127);
                score += by_tf[tf - 1][len];
            }
        }
        score
    }
}

/// A place, validated.
pub(crate) struct Place {
    pub circle: Circle,
    pub areas: Vec<u32>,
}

/// One way to satisfy a query term: a term's postings and how much a hit is worth.
struct Alt<'a> {
    docs: &'a [u32],
    meta: &'a [u8],
    pos: usize,
    /// Where scoring has got to (it trails `pos` by up to a batch).
    score_pos: usize,
    weight: f32,
}

/// All the ways to satisfy one query term (exact, synonyms, typo corrections).
struct Group<'a> {
    alts: Vec<Alt<'a>>,
}

impl Group<'_> {
    fn len(&self) -> usize {
        self.alts.iter().map(|a| a.docs.len()).sum()
    }
}

enum TextPlan<'a> {
    NoText,
    NoMatch,
    Terms(Vec<Group<'a>>, Vec<Alt<'a>>),
}

impl SearchIndex {
    /// Runs one query. Never panics; invalid input is a [`QueryError`] naming the field.
    pub fn search(&self, query: &Query) -> Result<SearchResults, QueryError> {
        let near = query.validate()?;
        let place = near.map(|n| {
            let mut areas = n.area_ids;
            areas.sort_unstable();
            areas.dedup();
            Place {
                circle: Circle::new(n.point, n.radius_km, self.earth_radius_km),
                areas,
            }
        });
        let filters = Filters::new(self, query);
        let mut out = Collector::new(self, &filters, query);
        match (self.plan_text(&query.text), &place) {
            (TextPlan::NoMatch, _) => {}
            (TextPlan::Terms(groups, phrases), place) => {
                self.run_text_query(groups, phrases, place.as_ref(), &mut out);
            }
            (TextPlan::NoText, Some(place)) => self.run_place(place, &mut out),
            (TextPlan::NoText, None) => self.run_browse(&filters, &mut out),
        }
        let (hits, total, facets) = out.finish(
            query.page,
            query.per_page,
            place.as_ref().map(|p| &p.circle),
        );
        Ok(SearchResults {
            hits,
            total,
            facets,
        })
    }

    fn plan_text(&self, text: &str) -> TextPlan<'_> {
        let mut terms = self.analyzer.terms(text);
        terms.truncate(MAX_QUERY_TERMS);
        if terms.is_empty() {
            return TextPlan::NoText;
        }
        let n = self.docs.len() as f32;
        let idf = |df: usize| -> f32 {
            let df = df as f32;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        };
        let mut seen: Vec<&str> = Vec::new();
        let mut groups = Vec::new();
        for term in &terms {
            if seen.contains(&term.as_str()) {
                continue;
            }
            seen.push(term);
            let mut alts = Vec::new();
            let mut push = |id: u32, weight: f32| {
                if let Some(p) = self.terms.get(id as usize) {
                    alts.push(Alt {
                        docs: &p.docs,
                        meta: &p.meta,
                        pos: 0,
                        score_pos: 0,
                        weight: weight * idf(p.docs.len()),
                    });
                }
            };
            let exact = self.dict.get(term);
            let exact_live = exact.is_some_and(|id| self.term_is_live(id));
            if let Some(id) = exact.filter(|_| exact_live) {
                push(id, 1.0);
            }
            for synonym in self.analyzer.synonyms(term) {
                if let Some(id) = self.dict.get(synonym) {
                    push(id, SYNONYM_WEIGHT);
                }
            }
            if !exact_live {
                // Only a word nobody's listing contains is treated as a typo: "form" must
                // not turn into "from", and this keeps common words cheap.
                self.dict.within(term, typo_budget(term), |id, edits| {
                    push(id, TYPO_WEIGHTS[(edits as usize).min(2)]);
                });
            }
            if alts.is_empty() {
                return TextPlan::NoMatch;
            }
            groups.push(Group { alts });
        }
        let mut phrases = Vec::new();
        for pair in terms.windows(2) {
            let (Some(a), Some(b)) = (self.dict.get(&pair[0]), self.dict.get(&pair[1])) else {
                continue;
            };
            if let Some(p) = self
                .bigram_ids
                .get(&bigram_key(a, b))
                .and_then(|&id| self.bigrams.get(id as usize))
            {
                let weight = PHRASE_WEIGHT
                    * 0.5
                    * (idf(self.terms.get(a as usize).map_or(0, |p| p.docs.len()))
                        + idf(self.terms.get(b as usize).map_or(0, |p| p.docs.len())));
                phrases.push(Alt {
                    docs: &p.docs,
                    meta: &p.meta,
                    pos: 0,
                    score_pos: 0,
                    weight,
                });
            }
        }
        TextPlan::Terms(groups, phrases)
    }

    /// Text with or without a place. With a place, each source of place candidates (the
    /// national/remote list, each geo cell, the area lists) is intersected with the text
    /// postings separately, so a document's own data is read only when it matches both.
    fn run_text_query<'a>(
        &'a self,
        mut groups: Vec<Group<'a>>,
        mut phrases: Vec<Alt<'a>>,
        place: Option<&Place>,
        out: &mut Collector<'_>,
    ) {
        let table = ScoreTable::new(self);
        let mut run = |source: Option<&[u32]>,
                       touch_locations: bool,
                       accept: &dyn Fn(u32, &DocMeta) -> Option<Found>| {
            self.intersect(
                &mut groups,
                &mut phrases,
                &table,
                source,
                place,
                touch_locations,
                accept,
                out,
            );
        };
        let Some(place) = place else {
            run(None, false, &|_, meta| {
                Some(Found::unplaced(meta.flags, meta.scope()))
            });
            return;
        };
        // National and remote candidates are placed from the short list of those near the
        // circle: their own locations are never read.
        let near = self.everywhere_near(&place.circle);
        run(Some(&self.everywhere), false, &|doc, _| {
            self.reach_known(doc, place, &near)
        });
        for (cell, list) in self.cells_near(&self.cells, &place.circle) {
            run(Some(list), true, &|doc, meta| {
                self.local_from_cell(doc, meta, cell, &place.circle)
            });
        }
        let areas = self.area_candidates(place);
        run(Some(&areas), true, &|doc, meta| {
            self.covers_only(doc, meta, place)
        });
    }

    /// Document-at-a-time intersection of the query terms (and `source`, if given), smallest
    /// list driving and the others galloping; `accept` decides place and reach.
    ///
    /// Candidates are found a batch at a time, walking only the (sequential) posting lists;
    /// then each batch's per-document data is touched in one tight loop, so the processor
    /// fetches those scattered cache lines in parallel instead of stalling on one at a time;
    /// only then is each candidate scored and collected. On a million services this halves
    /// the cost of a query matching tens of thousands of them.
    #[allow(clippy::too_many_arguments)]
    fn intersect<'a>(
        &self,
        groups: &mut [Group<'a>],
        phrases: &mut [Alt<'a>],
        table: &ScoreTable,
        source: Option<&[u32]>,
        place: Option<&Place>,
        touch_locations: bool,
        accept: &dyn Fn(u32, &DocMeta) -> Option<Found>,
        out: &mut Collector<'_>,
    ) {
        for alt in groups
            .iter_mut()
            .flat_map(|g| g.alts.iter_mut())
            .chain(phrases.iter_mut())
        {
            alt.pos = 0;
            alt.score_pos = 0;
        }
        let smallest = groups
            .iter()
            .enumerate()
            .min_by_key(|(_, g)| g.len())
            .map(|(i, g)| (i, g.len()));
        // `None`: the source drives.
        let driver = match (smallest, source) {
            (Some((i, len)), Some(src)) if len < src.len() => Some(i),
            (Some((i, _)), None) => Some(i),
            (None, None) => return,
            _ => None,
        };
        let mut source_pos = 0;
        let mut batch: Vec<u32> = Vec::with_capacity(BATCH);
        let mut exhausted = false;
        while !exhausted {
            batch.clear();
            'candidates: while batch.len() < BATCH {
                let doc = match driver {
                    None => {
                        let Some(&doc) = source.and_then(|s| s.get(source_pos)) else {
                            exhausted = true;
                            break;
                        };
                        source_pos += 1;
                        doc
                    }
                    Some(d) => {
                        let Some(group) = groups.get_mut(d) else {
                            exhausted = true;
                            break;
                        };
                        let Some(doc) = group
                            .alts
                            .iter()
                            .filter_map(|a| a.docs.get(a.pos).copied())
                            .min()
                        else {
                            exhausted = true;
                            break;
                        };
                        for alt in &mut group.alts {
                            if alt.docs.get(alt.pos) == Some(&doc) {
                                alt.pos += 1;
                            }
                        }
                        if let Some(src) = source {
                            source_pos = advance(src, source_pos, doc);
                            if src.get(source_pos) != Some(&doc) {
                                continue;
                            }
                        }
                        doc
                    }
                };
                for (i, group) in groups.iter_mut().enumerate() {
                    if driver == Some(i) {
                        continue;
                    }
                    let mut present = false;
                    for alt in &mut group.alts {
                        alt.pos = advance(alt.docs, alt.pos, doc);
                        present |= alt.docs.get(alt.pos) == Some(&doc);
                    }
                    if !present {
                        continue 'candidates;
                    }
                }
                batch.push(doc);
            }
            self.touch(&batch, touch_locations);
            for &doc in &batch {
                self.score_candidate(doc, groups, phrases, table, place, accept, out);
            }
        }
    }

    /// Reads each document's hot data once, with no dependency between the reads, so they
    /// overlap in the memory system; `score_candidate` then finds them in cache.
    fn touch(&self, batch: &[u32], placed: bool) {
        let mut acc = 0u32;
        for &doc in batch {
            if let Some(meta) = self.docs.get(doc as usize) {
                acc = acc.wrapping_add(u32::from(meta.flags));
            }
            acc = acc.wrapping_add(self.hours.start_of(doc));
            if placed {
                acc = acc.wrapping_add(self.loc_units.start_of(doc));
            }
        }
        std::hint::black_box(acc);
    }

    /// Scores one document known to contain every query term, and collects it if `accept`
    /// places it. Candidates arrive in increasing order, so the scoring cursors only move
    /// forward.
    #[allow(clippy::too_many_arguments)]
    fn score_candidate(
        &self,
        doc: u32,
        groups: &mut [Group<'_>],
        phrases: &mut [Alt<'_>],
        table: &ScoreTable,
        place: Option<&Place>,
        accept: &dyn Fn(u32, &DocMeta) -> Option<Found>,
        out: &mut Collector<'_>,
    ) {
        let Some(meta) = self.docs.get(doc as usize) else {
            return;
        };
        if !meta.live() {
            return;
        }
        let Some(found) = accept(doc, meta) else {
            return;
        };
        let lens = meta.field_len;
        // Scored only if it passes the filters: the scoring cursors gallop, so skipping a
        // document costs nothing later.
        out.consider_scored(doc, || {
            let mut score = 0.0;
            for group in groups.iter_mut() {
                let mut best: f32 = 0.0;
                for a in &mut group.alts {
                    a.score_pos = advance(a.docs, a.score_pos, doc);
                    if a.docs.get(a.score_pos) == Some(&doc) {
                        let byte = a.meta.get(a.score_pos).copied().unwrap_or(0);
                        best = best.max(a.weight * table.score(byte, lens));
                    }
                }
                score += best;
            }
            for phrase in phrases.iter_mut() {
                phrase.pos = advance(phrase.docs, phrase.pos, doc);
                if phrase.docs.get(phrase.pos) == Some(&doc) {
                    let fields = phrase.meta.get(phrase.pos).copied().unwrap_or(0);
                    let best_field = (0..4)
                        .filter(|f| fields & (1 << f) != 0)
                        .map(|f| FIELD_WEIGHTS[f])
                        .fold(0.0, f32::max);
                    score += phrase.weight * best_field;
                }
            }
            if let Some(place) = place {
                score *= proximity(found, &place.circle);
            }
            (found, score)
        });
    }

    /// Occupied cells of `map` (`cells` or `everywhere_cells`) that may hold locations
    /// inside the circle.
    fn cells_near<'a>(
        &self,
        map: &'a FxHashMap<Cell, Vec<u32>>,
        circle: &Circle,
    ) -> Vec<(u32, &'a [u32])> {
        let range = CellRange::around(circle.centre, circle.radius_km);
        let mut cells: Vec<(u32, &[u32])> = if range.count() > map.len() as u64 {
            map.iter()
                .filter(|(cell, _)| range.contains(**cell))
                .map(|(&cell, list)| (cell, list.as_slice()))
                .collect()
        } else {
            range
                .cells()
                .filter_map(|cell| map.get(&cell).map(|l| (cell, l.as_slice())))
                .collect()
        };
        // Cell order is id order for documents numbered by `build`: sequential memory.
        cells.sort_unstable_by_key(|(cell, _)| *cell);
        cells
    }

    /// National and remote documents with a location inside the circle, with how they reach
    /// it, sorted by document. Every location inside the circle lies in a cell of its range,
    /// so this is exactly the set for which `local` answers.
    fn everywhere_near(&self, circle: &Circle) -> Vec<(u32, Found)> {
        // A document with several locations sits in several cells: deduplicate before asking
        // `local` (which reads every location of the document), not after.
        let mut docs: Vec<u32> = self
            .cells_near(&self.everywhere_cells, circle)
            .into_iter()
            .flat_map(|(_, list)| list.iter().copied())
            .filter(|&doc| self.is_live(doc))
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs.into_iter()
            .filter_map(|doc| self.local(doc, circle).map(|found| (doc, found)))
            .collect()
    }

    /// How a national or remote `doc` reaches the place (`None` if it does not), given the
    /// list from [`SearchIndex::everywhere_near`]: near it, covering its area, or from
    /// anywhere.
    fn reach_known(&self, doc: u32, place: &Place, near: &[(u32, Found)]) -> Option<Found> {
        if let Ok(i) = near.binary_search_by_key(&doc, |(d, _)| *d) {
            return near.get(i).map(|(_, found)| *found);
        }
        if self.covers(doc, place) {
            return Some(Found::CoversArea);
        }
        match self.unplaced(doc) {
            Found::Unplaced => None,
            other => Some(other),
        }
    }

    /// A local (not national or remote) document within the circle, offered only from the
    /// cell of its nearest location so several locations never offer it twice.
    fn local_from_cell(
        &self,
        doc: u32,
        meta: &DocMeta,
        cell: u32,
        circle: &Circle,
    ) -> Option<Found> {
        if meta.flags & EVERYWHERE != 0 {
            return None;
        }
        let found = self.local(doc, circle)?;
        let Found::Local { loc, .. } = found else {
            return None;
        };
        (self.loc_points.items_at(loc).map(cell_of) == Some(cell)).then_some(found)
    }

    /// Documents listing one of the place's areas.
    fn area_candidates(&self, place: &Place) -> Vec<u32> {
        let lists: Vec<&[u32]> = place
            .areas
            .iter()
            .filter_map(|a| self.area_docs.get(a).map(Vec::as_slice))
            .collect();
        union_sorted(&lists).into_owned()
    }

    /// A local document covering the place's area without a location in the circle (those
    /// with one are offered by their cell).
    fn covers_only(&self, doc: u32, meta: &DocMeta, place: &Place) -> Option<Found> {
        (meta.flags & EVERYWHERE == 0 && self.local(doc, &place.circle).is_none())
            .then_some(Found::CoversArea)
    }

    fn unplaced(&self, doc: u32) -> Found {
        self.docs
            .get(doc as usize)
            .map_or(Found::Unplaced, |m| Found::unplaced(m.flags, m.scope()))
    }

    /// The nearest location as (global location index, squared chord), if any.
    fn nearest(&self, doc: u32, circle: &Circle) -> Option<(u32, f64)> {
        let start = self.loc_units.start_of(doc);
        self.loc_units
            .of(doc)
            .iter()
            .enumerate()
            .map(|(i, u)| (start + i as u32, chord2(&circle.centre_unit, u)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    fn local(&self, doc: u32, circle: &Circle) -> Option<Found> {
        let (loc, c2) = self.nearest(doc, circle)?;
        let point = self.loc_points.items_at(loc)?;
        circle
            .contains(c2, point)
            .then_some(Found::Local { loc, chord2: c2 })
    }

    fn covers(&self, doc: u32, place: &Place) -> bool {
        !place.areas.is_empty()
            && self
                .areas
                .of(doc)
                .iter()
                .any(|a| place.areas.binary_search(a).is_ok())
    }

    fn run_place(&self, place: &Place, out: &mut Collector<'_>) {
        // National and remote services reach every place, so each one counts; how it
        // reaches (which only ranking needs) is worked out for those passing the filters,
        // from the few near the circle.
        let near = self.everywhere_near(&place.circle);
        for &doc in &self.everywhere {
            if self.is_live(doc) {
                out.consider_with(doc, 0.0, || {
                    self.reach_known(doc, place, &near)
                        .unwrap_or_else(|| self.unplaced(doc))
                });
            }
        }
        for (cell, list) in self.cells_near(&self.cells, &place.circle) {
            for &doc in list {
                let Some(meta) = self.docs.get(doc as usize) else {
                    continue;
                };
                if meta.live()
                    && let Some(found) = self.local_from_cell(doc, meta, cell, &place.circle)
                {
                    out.consider(doc, found, 0.0);
                }
            }
        }
        for doc in self.area_candidates(place) {
            let Some(meta) = self.docs.get(doc as usize) else {
                continue;
            };
            if meta.live()
                && let Some(found) = self.covers_only(doc, meta, place)
            {
                out.consider(doc, found, 0.0);
            }
        }
    }

    fn run_browse(&self, filters: &Filters, out: &mut Collector<'_>) {
        // Each active posting-backed filter as (filter bit, its documents).
        let mut drivers: Vec<(u8, Cow<'_, [u32]>)> = Vec::new();
        for (f, filter) in filters.facet.iter().enumerate() {
            if filter.active {
                let lists: Vec<&[u32]> = filter
                    .slots
                    .iter()
                    .filter_map(|&s| self.facets[f].postings.get(usize::from(s)))
                    .map(Vec::as_slice)
                    .collect();
                drivers.push((f as u8, union_sorted(&lists)));
            }
        }
        if filters.scopes != 0 {
            let lists: Vec<&[u32]> = Scope::ALL
                .iter()
                .filter(|s| filters.scopes & (1 << s.index()) != 0)
                .map(|s| self.scope_docs[s.index()].as_slice())
                .collect();
            drivers.push((F_SCOPE, union_sorted(&lists)));
        }
        drivers.sort_by_key(|(_, docs)| docs.len());
        match (drivers.as_slice(), filters.open_now, filters.open_at) {
            ([], false, None) => {
                // Nothing to filter or count per document: index-wide tallies, first page.
                out.total = u64::from(self.live);
                out.take_tallies();
                for (doc, meta) in self.docs.iter().enumerate() {
                    if out.page_full() {
                        break;
                    }
                    if meta.live() {
                        out.offer_only(doc as u32, Found::unplaced(meta.flags, meta.scope()));
                    }
                }
            }
            ([(only, docs)], false, _) => {
                // Everything outside `docs` fails this filter and nothing else, so its
                // counts are the index-wide tallies.
                out.count_elsewhere(*only);
                for &doc in docs.iter() {
                    self.offer_unplaced(doc, out);
                }
            }
            ([(_, a), (_, b), ..], _, _) => {
                // A document failing at most one filter passes `a` or `b`; documents
                // failing two or more contribute to nothing.
                for &doc in union_sorted(&[a.as_ref(), b.as_ref()]).iter() {
                    self.offer_unplaced(doc, out);
                }
            }
            _ => {
                for doc in 0..self.docs.len() as u32 {
                    self.offer_unplaced(doc, out);
                }
            }
        }
    }

    fn offer_unplaced(&self, doc: u32, out: &mut Collector<'_>) {
        if let Some(meta) = self.docs.get(doc as usize)
            && meta.live()
        {
            out.consider(doc, Found::unplaced(meta.flags, meta.scope()), 0.0);
        }
    }
}

/// Relevance multiplier for distance when a query has both text and a place.
fn proximity(found: Found, circle: &Circle) -> f32 {
    match found {
        Found::Local { chord2, .. } if circle.radius_km > 0.0 => {
            let fraction = (circle.km(chord2) / circle.radius_km).clamp(0.0, 1.0) as f32;
            1.0 - DISTANCE_FADE * fraction
        }
        Found::Local { .. } => 1.0,
        _ => 1.0 - DISTANCE_FADE,
    }
}

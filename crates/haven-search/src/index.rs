//! The index's storage and its update paths: `build`, `upsert`, `remove`, `compact`.
//!
//! Documents get dense internal ids (`u32`) in arrival order. An update tombstones the old
//! internal id and appends the new version under a fresh id, so every posting list stays
//! sorted by appending; removals leave tombstones that queries skip. When tombstones reach a
//! quarter of the live documents, `compact` renumbers everything in one linear pass over the
//! postings (no document text is needed, so the caller's records are not re-read).

use haven_geo::LatLon;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::analysis::{Analyzer, words};
use crate::dictionary::Dictionary;
use crate::doc::{IndexDoc, OpeningHours, Scope};
use crate::error::DocError;
use crate::facets::{FACETS, FacetValues, MASK_SLOTS, pack_spill, unpack_spill};
use crate::geo::{Cell, Unit, cell_of, earth_radius_km, unit};
use crate::hours;
use crate::postings::{Postings, push_once, remap_ids};

/// Text fields, in weight order. Need labels are one field however many labels there are.
pub(crate) const FIELD_NAME: usize = 0;
pub(crate) const FIELD_ORGANISATION: usize = 1;
pub(crate) const FIELD_NEEDS: usize = 2;
pub(crate) const FIELD_DESCRIPTION: usize = 3;

pub(crate) const LIVE: u8 = 1;
pub(crate) const REMOTE: u8 = 2;
pub(crate) const HOURS_KNOWN: u8 = 4;
/// National or remote: reaches every place, so kept out of the geo cells' candidates.
pub(crate) const EVERYWHERE: u8 = 8;
pub(crate) const SPILL: u8 = 16;
const SCOPE_SHIFT: u8 = 5;

/// What every query touches for each candidate, packed together for the cache.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct DocMeta {
    pub masks: [u64; 3],
    pub flags: u8,
    /// Terms per field, saturating, for BM25 length normalisation.
    pub field_len: [u8; 4],
}

impl DocMeta {
    pub fn live(&self) -> bool {
        self.flags & LIVE != 0
    }

    pub fn scope(&self) -> Scope {
        match (self.flags >> SCOPE_SHIFT) & 3 {
            0 => Scope::Local,
            1 => Scope::Regional,
            _ => Scope::National,
        }
    }
}

/// Per-document variable-length data: `start[d]..start[d + 1]` indexes `items`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Ragged<T> {
    #[serde(with = "crate::raw::u32s")]
    pub(crate) start: Vec<u32>,
    pub(crate) items: Vec<T>,
}

impl<T: Copy> Ragged<T> {
    fn new() -> Self {
        Self {
            start: vec![0],
            items: Vec::new(),
        }
    }

    pub fn of(&self, doc: u32) -> &[T] {
        let d = doc as usize;
        match (self.start.get(d), self.start.get(d + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The first item's position for `doc`, for naming one item globally.
    pub fn start_of(&self, doc: u32) -> u32 {
        self.start.get(doc as usize).copied().unwrap_or(0)
    }

    pub fn items_at(&self, i: u32) -> Option<T> {
        self.items.get(i as usize).copied()
    }

    /// Closes the current document's run; its items were pushed before.
    fn close(&mut self) {
        self.start
            .push(u32::try_from(self.items.len()).unwrap_or(u32::MAX));
    }

    fn heap_bytes(&self) -> usize {
        self.start.capacity() * 4 + self.items.capacity() * std::mem::size_of::<T>()
    }

    fn keep(&self, live: &[u32]) -> Self {
        let mut out = Self::new();
        for &d in live {
            out.items.extend_from_slice(self.of(d));
            out.close();
        }
        out
    }

    fn shrink(&mut self) {
        self.start.shrink_to_fit();
        self.items.shrink_to_fit();
    }
}

/// The in-memory directory index. Queries take `&self` and never lock or allocate in
/// proportion to the corpus, so one index serves every request thread.
///
/// Sharing: wrap it in `RwLock<SearchIndex>` (std or `parking_lot`). An `upsert` or
/// `remove` holds the write lock for microseconds; the occasional automatic compaction holds
/// it for one linear pass over the postings (rare: a quarter of the index must change first).
/// We chose
/// this over copy-on-write `Arc` swapping because a copy of a million-service index is ~0.5 GB
/// per update, and over a delta-plus-base design because appends already keep postings
/// sorted, so there is no merge to amortise.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    pub(crate) analyzer: Analyzer,
    pub(crate) earth_radius_km: f64,
    pub(crate) dict: Dictionary,
    pub(crate) terms: Vec<Postings>,
    pub(crate) bigram_ids: FxHashMap<u64, u32>,
    pub(crate) bigrams: Vec<Postings>,
    pub(crate) ids: Vec<Uuid>,
    pub(crate) by_id: FxHashMap<Uuid, u32>,
    pub(crate) docs: Vec<DocMeta>,
    pub(crate) loc_points: Ragged<LatLon>,
    pub(crate) loc_units: Ragged<Unit>,
    pub(crate) hours: Ragged<u32>,
    pub(crate) areas: Ragged<u32>,
    pub(crate) spill: Ragged<u32>,
    /// Local services by the cells of their locations.
    pub(crate) cells: FxHashMap<Cell, Vec<u32>>,
    /// National and remote services by the cells of their locations: they reach every place
    /// anyway, and only ranking needs to know which are also near it, so they are kept out
    /// of `cells` and a query finds the few near its circle here instead of working out the
    /// distance of every national service.
    pub(crate) everywhere_cells: FxHashMap<Cell, Vec<u32>>,
    pub(crate) everywhere: Vec<u32>,
    pub(crate) area_docs: FxHashMap<u32, Vec<u32>>,
    pub(crate) facets: [FacetValues; 3],
    pub(crate) scope_docs: [Vec<u32>; 3],
    pub(crate) scope_live: [u32; 3],
    pub(crate) live: u32,
    pub(crate) dead: u32,
    pub(crate) field_len_sum: [u64; 4],
}

impl Default for SearchIndex {
    fn default() -> Self {
        Self::new()
    }
}

/// Raw word → term id during a bulk build (most words repeat, and stemming is the slowest
/// step). `NO_TERM` marks stop words.
type WordCache = FxHashMap<Box<str>, u32>;
const NO_TERM: u32 = u32::MAX;

/// Tombstones tolerated before an automatic compaction (also at least a quarter of live).
const COMPACT_MIN_DEAD: u32 = 64;

impl SearchIndex {
    pub fn new() -> Self {
        Self {
            analyzer: Analyzer::new(),
            earth_radius_km: earth_radius_km(),
            dict: Dictionary::default(),
            terms: Vec::new(),
            bigram_ids: FxHashMap::default(),
            bigrams: Vec::new(),
            ids: Vec::new(),
            by_id: FxHashMap::default(),
            docs: Vec::new(),
            loc_points: Ragged::new(),
            loc_units: Ragged::new(),
            hours: Ragged::new(),
            areas: Ragged::new(),
            spill: Ragged::new(),
            cells: FxHashMap::default(),
            everywhere_cells: FxHashMap::default(),
            everywhere: Vec::new(),
            area_docs: FxHashMap::default(),
            facets: Default::default(),
            scope_docs: Default::default(),
            scope_live: [0; 3],
            live: 0,
            dead: 0,
            field_len_sum: [0; 4],
        }
    }

    /// Builds an index from every document at once (start-up). A later document with the
    /// same id replaces an earlier one. Fails on the first invalid document.
    ///
    /// National and remote services are numbered first, then the rest in geo-cell order, so
    /// the services of one area have neighbouring ids (a "near me" query then reads their
    /// data from neighbouring memory) and the services that match every place query are one
    /// contiguous run, read sequentially by every such query.
    pub fn build(docs: impl IntoIterator<Item = IndexDoc>) -> Result<Self, DocError> {
        let docs: Vec<IndexDoc> = docs.into_iter().collect();
        let mut last: FxHashMap<Uuid, usize> = FxHashMap::default();
        for (i, doc) in docs.iter().enumerate() {
            last.insert(doc.id, i);
        }
        let mut order: Vec<(bool, u32, usize)> = docs
            .iter()
            .enumerate()
            .filter(|(i, doc)| last.get(&doc.id) == Some(i))
            .map(|(i, doc)| {
                let local = !(doc.remote || doc.scope == Scope::National);
                let cell = doc.locations.first().map_or(u32::MAX, |p| cell_of(*p));
                (local, cell, i)
            })
            .collect();
        order.sort_unstable();
        drop(last);
        let mut index = Self::new();
        let mut cache = WordCache::default();
        for (_, _, i) in order {
            if let Some(doc) = docs.get(i) {
                index.upsert_with(doc, Some(&mut cache))?;
            }
        }
        index.shrink();
        Ok(index)
    }

    /// Adds a document, or replaces the one with the same id. Its old terms, places and
    /// values stop matching at once.
    pub fn upsert(&mut self, doc: &IndexDoc) -> Result<(), DocError> {
        self.upsert_with(doc, None)?;
        self.compact_if_worthwhile();
        Ok(())
    }

    /// Removes a document; returns whether it was there.
    pub fn remove(&mut self, id: Uuid) -> bool {
        let Some(old) = self.by_id.remove(&id) else {
            return false;
        };
        self.tombstone(old);
        self.compact_if_worthwhile();
        true
    }

    /// Live documents.
    pub fn len(&self) -> usize {
        self.live as usize
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    pub fn contains(&self, id: Uuid) -> bool {
        self.by_id.contains_key(&id)
    }

    /// Distinct terms ever indexed (including ones only removed documents had, until a
    /// restart).
    pub fn term_count(&self) -> usize {
        self.dict.len()
    }

    /// Removes tombstones and renumbers documents: one pass over every posting list.
    /// Runs automatically when tombstones reach a quarter of the live documents.
    pub fn compact(&mut self) {
        if self.dead == 0 {
            return;
        }
        let mut remap = vec![u32::MAX; self.docs.len()];
        let mut keep = Vec::with_capacity(self.live as usize);
        for (d, meta) in self.docs.iter().enumerate() {
            if meta.live() {
                let new = u32::try_from(keep.len()).unwrap_or(u32::MAX);
                if let Some(slot) = remap.get_mut(d) {
                    *slot = new;
                }
                keep.push(u32::try_from(d).unwrap_or(u32::MAX));
            }
        }
        self.docs = keep
            .iter()
            .filter_map(|&d| self.docs.get(d as usize).copied())
            .collect();
        self.ids = keep
            .iter()
            .filter_map(|&d| self.ids.get(d as usize).copied())
            .collect();
        for internal in self.by_id.values_mut() {
            *internal = remap.get(*internal as usize).copied().unwrap_or(u32::MAX);
        }
        self.loc_points = self.loc_points.keep(&keep);
        self.loc_units = self.loc_units.keep(&keep);
        self.hours = self.hours.keep(&keep);
        self.areas = self.areas.keep(&keep);
        self.spill = self.spill.keep(&keep);
        for p in self.terms.iter_mut().chain(self.bigrams.iter_mut()) {
            p.remap(&remap);
        }
        for list in self
            .cells
            .values_mut()
            .chain(self.everywhere_cells.values_mut())
            .chain(self.area_docs.values_mut())
            .chain(self.scope_docs.iter_mut())
            .chain(std::iter::once(&mut self.everywhere))
        {
            remap_ids(list, &remap);
        }
        self.cells.retain(|_, list| !list.is_empty());
        self.everywhere_cells.retain(|_, list| !list.is_empty());
        self.area_docs.retain(|_, list| !list.is_empty());
        for facet in &mut self.facets {
            facet.remap(&remap);
        }
        self.dead = 0;
    }

    fn compact_if_worthwhile(&mut self) {
        if self.dead >= COMPACT_MIN_DEAD && self.dead >= self.live / 4 {
            self.compact();
        }
    }

    /// Bytes this index holds on the heap (capacities, so what is actually reserved;
    /// hash maps counted as their buckets).
    pub fn heap_bytes(&self) -> usize {
        let postings: usize = self
            .terms
            .iter()
            .chain(self.bigrams.iter())
            .map(|p| p.heap_bytes() + std::mem::size_of::<Postings>())
            .sum();
        let id_lists = |m: &FxHashMap<u32, Vec<u32>>| -> usize {
            m.capacity() * (4 + 24 + 1) + m.values().map(|v| v.capacity() * 4).sum::<usize>()
        };
        self.dict.heap_bytes()
            + postings
            + self.bigram_ids.capacity() * (8 + 4 + 1)
            + self.ids.capacity() * 16
            + self.by_id.capacity() * (16 + 4 + 1)
            + self.docs.capacity() * std::mem::size_of::<DocMeta>()
            + self.loc_points.heap_bytes()
            + self.loc_units.heap_bytes()
            + self.hours.heap_bytes()
            + self.areas.heap_bytes()
            + self.spill.heap_bytes()
            + id_lists(&self.cells)
            + id_lists(&self.everywhere_cells)
            + id_lists(&self.area_docs)
            + self.everywhere.capacity() * 4
            + self
                .facets
                .iter()
                .map(FacetValues::heap_bytes)
                .sum::<usize>()
            + self
                .scope_docs
                .iter()
                .map(|v| v.capacity() * 4)
                .sum::<usize>()
    }

    fn shrink(&mut self) {
        for p in self.terms.iter_mut().chain(self.bigrams.iter_mut()) {
            p.docs.shrink_to_fit();
            p.meta.shrink_to_fit();
        }
        for list in self
            .cells
            .values_mut()
            .chain(self.everywhere_cells.values_mut())
            .chain(self.area_docs.values_mut())
            .chain(self.scope_docs.iter_mut())
            .chain(std::iter::once(&mut self.everywhere))
        {
            list.shrink_to_fit();
        }
        for facet in &mut self.facets {
            for list in &mut facet.postings {
                list.shrink_to_fit();
            }
        }
        for r in [&mut self.hours, &mut self.areas, &mut self.spill] {
            r.shrink();
        }
        self.loc_points.shrink();
        self.loc_units.shrink();
        self.docs.shrink_to_fit();
        self.ids.shrink_to_fit();
    }

    fn tombstone(&mut self, doc: u32) {
        let Some(meta) = self.docs.get_mut(doc as usize) else {
            return;
        };
        if !meta.live() {
            return;
        }
        meta.flags &= !LIVE;
        let meta = *meta;
        self.live = self.live.saturating_sub(1);
        self.dead += 1;
        for (f, facet) in FACETS.iter().enumerate() {
            let mut mask = meta.masks[f];
            while mask != 0 {
                let slot = mask.trailing_zeros() as u16;
                self.facets[f].forget(slot);
                mask &= mask - 1;
            }
            for &packed in self.spill.of(doc) {
                let (pf, slot) = unpack_spill(packed);
                if pf == *facet as u32 {
                    self.facets[f].forget(slot);
                }
            }
        }
        let scope = meta.scope().index();
        self.scope_live[scope] = self.scope_live[scope].saturating_sub(1);
        for (sum, len) in self.field_len_sum.iter_mut().zip(meta.field_len) {
            *sum = sum.saturating_sub(u64::from(len));
        }
    }

    fn upsert_with(
        &mut self,
        doc: &IndexDoc,
        mut cache: Option<&mut WordCache>,
    ) -> Result<(), DocError> {
        doc.validate()?;
        if self.docs.len() >= (u32::MAX - 1) as usize {
            self.compact();
            if self.docs.len() >= (u32::MAX - 1) as usize {
                return Err(DocError::Full {
                    max: u64::from(u32::MAX - 1),
                });
            }
        }
        if let Some(old) = self.by_id.remove(&doc.id) {
            self.tombstone(old);
        }
        let d = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);

        let mut field_len = [0u8; 4];
        let mut text_field =
            |index: &mut Self, field: usize, text: &str, cache: &mut Option<&mut WordCache>| {
                let mut prev: Option<u32> = None;
                for raw in words(text) {
                    let Some(term) = index.term_id(raw, cache.as_deref_mut()) else {
                        continue;
                    };
                    field_len[field] = field_len[field].saturating_add(1);
                    if let Some(p) = index.terms.get_mut(term as usize) {
                        p.record(d, 1 << (2 * field), add_tf);
                    }
                    // Phrases are indexed for the short fields only: that is where an exact
                    // phrase means most, and descriptions would triple the index.
                    if field != FIELD_DESCRIPTION
                        && let Some(prev) = prev
                    {
                        index.record_bigram(prev, term, d, field);
                    }
                    prev = Some(term);
                }
            };
        text_field(self, FIELD_NAME, &doc.name, &mut cache);
        text_field(self, FIELD_ORGANISATION, &doc.organisation_name, &mut cache);
        for label in &doc.need_labels {
            text_field(self, FIELD_NEEDS, label, &mut cache);
        }
        text_field(self, FIELD_DESCRIPTION, &doc.description, &mut cache);

        let mut masks = [0u64; 3];
        let mut flags = LIVE | ((doc.scope.index() as u8) << SCOPE_SHIFT);
        for (f, values) in [&doc.needs, &doc.languages, &doc.eligibility]
            .into_iter()
            .enumerate()
        {
            let facet = FACETS[f];
            let mut slots: Vec<u16> = values.iter().map(|&v| self.facets[f].intern(v)).collect();
            slots.sort_unstable();
            slots.dedup();
            for slot in slots {
                self.facets[f].add(slot, d);
                if slot < MASK_SLOTS {
                    masks[f] |= 1 << slot;
                } else {
                    flags |= SPILL;
                    self.spill.items.push(pack_spill(facet, slot));
                }
            }
        }
        self.spill.close();

        if doc.remote {
            flags |= REMOTE;
        }
        if doc.remote || doc.scope == Scope::National {
            flags |= EVERYWHERE;
            self.everywhere.push(d);
        }
        if let OpeningHours::Weekly(intervals) = &doc.hours {
            flags |= HOURS_KNOWN;
            self.hours.items.extend(intervals.iter().map(hours::pack));
        }
        self.hours.close();

        for &point in &doc.locations {
            self.loc_points.items.push(point);
            self.loc_units.items.push(unit(point));
            let cells = if flags & EVERYWHERE != 0 {
                &mut self.everywhere_cells
            } else {
                &mut self.cells
            };
            push_once(cells.entry(cell_of(point)).or_default(), d);
        }
        self.loc_points.close();
        self.loc_units.close();

        let mut areas = doc.service_area.clone();
        areas.sort_unstable();
        areas.dedup();
        for &area in &areas {
            push_once(self.area_docs.entry(area).or_default(), d);
        }
        self.areas.items.extend_from_slice(&areas);
        self.areas.close();

        let scope = doc.scope.index();
        self.scope_docs[scope].push(d);
        self.scope_live[scope] += 1;
        for (sum, len) in self.field_len_sum.iter_mut().zip(field_len) {
            *sum += u64::from(len);
        }
        self.docs.push(DocMeta {
            masks,
            flags,
            field_len,
        });
        self.ids.push(doc.id);
        self.by_id.insert(doc.id, d);
        self.live += 1;
        Ok(())
    }

    fn term_id(&mut self, raw: &str, cache: Option<&mut WordCache>) -> Option<u32> {
        let id = match cache {
            Some(cache) => {
                if let Some(&id) = cache.get(raw) {
                    id
                } else {
                    let id = self.intern_word(raw);
                    cache.insert(raw.into(), id);
                    id
                }
            }
            None => self.intern_word(raw),
        };
        (id != NO_TERM).then_some(id)
    }

    fn intern_word(&mut self, raw: &str) -> u32 {
        let Some(term) = self.analyzer.term(raw) else {
            return NO_TERM;
        };
        let id = self.dict.intern(&term);
        while self.terms.len() <= id as usize {
            self.terms.push(Postings::default());
        }
        id
    }

    fn record_bigram(&mut self, first: u32, second: u32, doc: u32, field: usize) {
        let key = bigram_key(first, second);
        let next = u32::try_from(self.bigrams.len()).unwrap_or(u32::MAX);
        let id = *self.bigram_ids.entry(key).or_insert(next);
        if id == next {
            self.bigrams.push(Postings::default());
        }
        if let Some(p) = self.bigrams.get_mut(id as usize) {
            p.record(doc, 1 << field, |a, b| a | b);
        }
    }

    /// Whether any live document contains the term.
    pub(crate) fn term_is_live(&self, term: u32) -> bool {
        self.terms
            .get(term as usize)
            .is_some_and(|p| p.docs.iter().any(|&d| self.is_live(d)))
    }

    pub(crate) fn is_live(&self, doc: u32) -> bool {
        self.docs.get(doc as usize).is_some_and(DocMeta::live)
    }
}

pub(crate) fn bigram_key(first: u32, second: u32) -> u64 {
    (u64::from(first) << 32) | u64::from(second)
}

/// Adds one occurrence to the 2-bit per-field counter that `one` points at, saturating at 3.
fn add_tf(current: u8, one: u8) -> u8 {
    let shift = one.trailing_zeros();
    if (current >> shift) & 3 < 3 {
        current + one
    } else {
        current
    }
}

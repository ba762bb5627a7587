//! The index's stored form, so a start-up snapshot can keep a built index instead of building
//! it again (seconds at a million services). `SearchIndex` is `Serialize` and `Deserialize`
//! for any serde format that keeps fields in order (Haven uses postcard).
//!
//! What is stored is what a build works out: postings, per-document data, geo cells, facet
//! values. What is quicker to derive than to read is derived on load (the id look-up, the
//! dictionary's look-up tables, live counts and length sums), and the stemmer, which cannot be
//! stored, is made afresh.
//!
//! A stored index is outside input: a read one is checked (every internal id in range, every
//! list sorted, every per-document table of the right length) before it can be searched, so a
//! damaged or crafted file is a deserialisation error, never a panic or an index whose parts
//! disagree. Any change to the fields below changes the format: the snapshot's format number
//! must be bumped with it.

use haven_geo::LatLon;
use rustc_hash::FxHashMap;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::MINUTES_PER_DAY;
use crate::analysis::Analyzer;
use crate::dictionary::Dictionary;
use crate::doc::Scope;
use crate::facets::FacetValues;
use crate::geo::{Cell, Unit, earth_radius_km};
use crate::hours::MINUTES_PER_WEEK;
use crate::index::{DocMeta, Ragged, SearchIndex};
use crate::postings::Postings;

/// The stored form, borrowed from an index for writing.
#[derive(Serialize)]
struct StoredRef<'a> {
    terms: &'a [Box<str>],
    postings: &'a [Postings],
    /// Each phrase's key, in phrase id order.
    bigram_keys: Vec<u64>,
    bigrams: &'a [Postings],
    ids: &'a [Uuid],
    docs: &'a [DocMeta],
    loc_points: &'a Ragged<LatLon>,
    loc_units: &'a Ragged<Unit>,
    hours: &'a Ragged<u32>,
    areas: &'a Ragged<u32>,
    spill: &'a Ragged<u32>,
    cells: Vec<(Cell, &'a [u32])>,
    everywhere_cells: Vec<(Cell, &'a [u32])>,
    #[serde(with = "crate::raw::u32s")]
    everywhere: &'a [u32],
    area_docs: Vec<(u32, &'a [u32])>,
    facet_values: [&'a [u16]; 3],
    facet_postings: [FacetPostingsRef<'a>; 3],
    scope_docs: [ScopeDocsRef<'a>; 3],
}

/// One facet's postings, each list a block of bytes.
#[derive(Serialize)]
struct FacetPostingsRef<'a>(#[serde(with = "crate::raw::u32_lists")] &'a [Vec<u32>]);

#[derive(Deserialize)]
struct FacetPostings(#[serde(with = "crate::raw::u32_lists")] Vec<Vec<u32>>);

/// One scope's documents as a block of bytes.
#[derive(Serialize)]
struct ScopeDocsRef<'a>(#[serde(with = "crate::raw::u32s")] &'a [u32]);

#[derive(Deserialize)]
struct ScopeDocs(#[serde(with = "crate::raw::u32s")] Vec<u32>);

/// The stored form as read, in the same field order as [`StoredRef`].
#[derive(Deserialize)]
struct Stored {
    terms: Vec<Box<str>>,
    postings: Vec<Postings>,
    bigram_keys: Vec<u64>,
    bigrams: Vec<Postings>,
    ids: Vec<Uuid>,
    docs: Vec<DocMeta>,
    loc_points: Ragged<LatLon>,
    loc_units: Ragged<Unit>,
    hours: Ragged<u32>,
    areas: Ragged<u32>,
    spill: Ragged<u32>,
    cells: Vec<(Cell, Vec<u32>)>,
    everywhere_cells: Vec<(Cell, Vec<u32>)>,
    #[serde(with = "crate::raw::u32s")]
    everywhere: Vec<u32>,
    area_docs: Vec<(u32, Vec<u32>)>,
    facet_values: [Vec<u16>; 3],
    facet_postings: [FacetPostings; 3],
    scope_docs: [ScopeDocs; 3],
}

impl Serialize for SearchIndex {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut bigram_keys = vec![0; self.bigrams.len()];
        for (&key, &id) in &self.bigram_ids {
            if let Some(slot) = bigram_keys.get_mut(id as usize) {
                *slot = key;
            }
        }
        StoredRef {
            terms: self.dict.terms(),
            postings: &self.terms,
            bigram_keys,
            bigrams: &self.bigrams,
            ids: &self.ids,
            docs: &self.docs,
            loc_points: &self.loc_points,
            loc_units: &self.loc_units,
            hours: &self.hours,
            areas: &self.areas,
            spill: &self.spill,
            cells: sorted(&self.cells),
            everywhere_cells: sorted(&self.everywhere_cells),
            everywhere: &self.everywhere,
            area_docs: sorted(&self.area_docs),
            facet_values: [0, 1, 2].map(|f| self.facets[f].values.as_slice()),
            facet_postings: [0, 1, 2].map(|f| FacetPostingsRef(&self.facets[f].postings)),
            scope_docs: [0, 1, 2].map(|s| ScopeDocsRef(&self.scope_docs[s])),
        }
        .serialize(serializer)
    }
}

/// A map's entries in key order, so the same index is always written as the same bytes.
fn sorted(map: &FxHashMap<u32, Vec<u32>>) -> Vec<(u32, &[u32])> {
    let mut entries: Vec<(u32, &[u32])> = map.iter().map(|(&k, v)| (k, v.as_slice())).collect();
    entries.sort_unstable_by_key(|&(k, _)| k);
    entries
}

/// The map of id lists, each checked; a key may appear once.
fn id_lists(
    entries: Vec<(u32, Vec<u32>)>,
    docs: usize,
    what: &'static str,
) -> Result<FxHashMap<u32, Vec<u32>>, Inconsistent> {
    let mut map = FxHashMap::default();
    map.reserve(entries.len());
    for (key, list) in entries {
        check_ids(&list, docs, what)?;
        check(map.insert(key, list).is_none(), what)?;
    }
    Ok(map)
}

impl<'de> Deserialize<'de> for SearchIndex {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(deserializer)?;
        SearchIndex::from_stored(stored).map_err(D::Error::custom)
    }
}

/// Why a stored index was refused.
#[derive(Debug, thiserror::Error)]
#[error("stored search index: {0}")]
struct Inconsistent(&'static str);

fn check(ok: bool, what: &'static str) -> Result<(), Inconsistent> {
    if ok { Ok(()) } else { Err(Inconsistent(what)) }
}

/// A list of internal ids: strictly increasing (as appending keeps them) and below `docs`.
fn check_ids(list: &[u32], docs: usize, what: &'static str) -> Result<(), Inconsistent> {
    let increasing = list.windows(2).all(|w| w[0] < w[1]);
    let in_range = list.last().is_none_or(|&d| (d as usize) < docs);
    check(increasing && in_range, what)
}

fn check_postings(postings: &[Postings], docs: usize) -> Result<(), Inconsistent> {
    for p in postings {
        check(p.docs.len() == p.meta.len(), "postings of unequal lengths")?;
        check_ids(&p.docs, docs, "postings")?;
    }
    Ok(())
}

/// One run per document, the runs in order and covering every item.
fn check_ragged<T>(
    ragged: &Ragged<T>,
    docs: usize,
    what: &'static str,
) -> Result<(), Inconsistent> {
    let start = &ragged.start;
    check(
        start.len() == docs + 1
            && start.first() == Some(&0)
            && start.windows(2).all(|w| w[0] <= w[1])
            && start.last().map(|&n| n as usize) == Some(ragged.items.len()),
        what,
    )
}

impl SearchIndex {
    fn from_stored(s: Stored) -> Result<Self, Inconsistent> {
        let n = s.docs.len();
        check(n < u32::MAX as usize, "too many documents")?;
        check(s.ids.len() == n, "ids and documents differ in number")?;
        check(
            s.postings.len() == s.terms.len(),
            "terms and postings differ in number",
        )?;
        check_postings(&s.postings, n)?;
        check(
            s.bigram_keys.len() == s.bigrams.len(),
            "phrases and their postings differ in number",
        )?;
        check_postings(&s.bigrams, n)?;
        check_ragged(&s.loc_points, n, "locations")?;
        // One unit vector per point: the same runs, and exactly as many items.
        check_ragged(&s.loc_units, n, "location units")?;
        check(s.loc_units.start == s.loc_points.start, "location units")?;
        check(
            s.loc_units.items.iter().flatten().all(|c| c.is_finite()),
            "location units",
        )?;
        check_ragged(&s.hours, n, "hours")?;
        check(
            s.hours
                .items
                .iter()
                .all(|&p| p >> 16 < MINUTES_PER_WEEK && p & 0xFFFF <= u32::from(MINUTES_PER_DAY)),
            "hours",
        )?;
        check_ragged(&s.areas, n, "areas")?;
        check_ragged(&s.spill, n, "spilled facet values")?;
        let cells = id_lists(s.cells, n, "places")?;
        let everywhere_cells = id_lists(s.everywhere_cells, n, "places")?;
        let area_docs = id_lists(s.area_docs, n, "areas")?;
        check_ids(&s.everywhere, n, "national and remote services")?;
        let scope_docs = s.scope_docs.map(|d| d.0);
        for list in &scope_docs {
            check_ids(list, n, "scopes")?;
        }
        let facet_postings = s.facet_postings.map(|p| p.0);
        for list in facet_postings.iter().flatten() {
            check_ids(list, n, "facet postings")?;
        }

        let dict = Dictionary::from_terms(s.terms).ok_or(Inconsistent("repeated term"))?;
        let mut bigram_ids = FxHashMap::default();
        bigram_ids.reserve(s.bigram_keys.len());
        for (id, key) in s.bigram_keys.into_iter().enumerate() {
            let id = u32::try_from(id).map_err(|_| Inconsistent("too many phrases"))?;
            check(bigram_ids.insert(key, id).is_none(), "repeated phrase")?;
        }
        // What a build keeps counting is worked out again from the documents.
        let mut by_id = FxHashMap::default();
        by_id.reserve(n);
        let (mut live, mut dead) = (0u32, 0u32);
        let mut scope_live = [0u32; 3];
        let mut field_len_sum = [0u64; 4];
        for (d, (meta, id)) in s.docs.iter().zip(&s.ids).enumerate() {
            if !meta.live() {
                dead += 1;
                continue;
            }
            let d = u32::try_from(d).map_err(|_| Inconsistent("too many documents"))?;
            check(by_id.insert(*id, d).is_none(), "a service indexed twice")?;
            live += 1;
            scope_live[meta.scope().index()] += 1;
            for (sum, len) in field_len_sum.iter_mut().zip(meta.field_len) {
                *sum += u64::from(len);
            }
        }
        let is_live = |d: u32| s.docs.get(d as usize).is_some_and(DocMeta::live);
        let [needs, languages, eligibility] = s.facet_values;
        let [needs_docs, languages_docs, eligibility_docs] = facet_postings;
        let facet = |values, postings| {
            FacetValues::from_parts(values, postings, is_live).ok_or(Inconsistent("facet values"))
        };
        let facets = [
            facet(needs, needs_docs)?,
            facet(languages, languages_docs)?,
            facet(eligibility, eligibility_docs)?,
        ];
        // The scope a document's flags name must be the list it is in.
        for scope in Scope::ALL {
            let listed = scope_docs[scope.index()]
                .iter()
                .all(|&d| s.docs.get(d as usize).is_some_and(|m| m.scope() == scope));
            check(listed, "scopes")?;
        }
        Ok(Self {
            analyzer: Analyzer::new(),
            earth_radius_km: earth_radius_km(),
            dict,
            terms: s.postings,
            bigram_ids,
            bigrams: s.bigrams,
            ids: s.ids,
            by_id,
            docs: s.docs,
            loc_points: s.loc_points,
            loc_units: s.loc_units,
            hours: s.hours,
            areas: s.areas,
            spill: s.spill,
            cells,
            everywhere_cells,
            everywhere: s.everywhere,
            area_docs,
            facets,
            scope_docs,
            scope_live,
            live,
            dead,
            field_len_sum,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{IndexDoc, OpeningHours};

    fn located(id: u128, points: &[(f64, f64)]) -> IndexDoc {
        IndexDoc {
            id: Uuid::from_u128(id),
            name: format!("Service {id}"),
            organisation_name: "Org".into(),
            description: String::new(),
            need_labels: vec![],
            needs: vec![],
            languages: vec![],
            eligibility: vec![],
            scope: Scope::Local,
            remote: false,
            locations: points
                .iter()
                .map(|&(lat, lon)| LatLon::new(lat, lon).unwrap())
                .collect(),
            service_area: vec![],
            hours: OpeningHours::Unknown,
        }
    }

    /// The stored form of a two-document index, as a reader would get it.
    fn stored() -> Stored {
        let index = SearchIndex::build([
            located(1, &[(53.8, -1.55), (53.79, -1.54)]),
            located(2, &[(52.95, -1.15)]),
        ])
        .unwrap();
        postcard::from_bytes(&postcard::to_stdvec(&index).unwrap()).unwrap()
    }

    #[test]
    fn location_units_must_match_the_points_one_for_one() {
        assert!(SearchIndex::from_stored(stored()).is_ok());
        // The last document's unit vector missing: it would silently have no location.
        let mut short = stored();
        short.loc_units.items.pop();
        assert!(SearchIndex::from_stored(short).is_err());
        let mut long = stored();
        long.loc_units.items.push([0.0, 0.0, 1.0]);
        assert!(SearchIndex::from_stored(long).is_err());
    }
}

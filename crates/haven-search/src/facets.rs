//! Filter values (needs, languages, eligibility): the caller's `u16` ids mapped to dense
//! slots, so a document's values fit in one `u64` bitmask when there are at most 64 of them
//! (the usual case: a filter check is then one AND), with a spill list for the rest.

use rustc_hash::FxHashMap;

use crate::postings::{push_once, remap_ids};

/// The three id-valued facets, in the order their masks are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Facet {
    Needs = 0,
    Languages = 1,
    Eligibility = 2,
}

pub(crate) const FACETS: [Facet; 3] = [Facet::Needs, Facet::Languages, Facet::Eligibility];

/// Values with a slot below this live in the document's bitmask.
pub(crate) const MASK_SLOTS: u16 = 64;

/// One facet's values: slots, the documents carrying each, and live counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct FacetValues {
    slot_of: FxHashMap<u16, u16>,
    pub values: Vec<u16>,
    pub postings: Vec<Vec<u32>>,
    /// Live documents carrying each slot (for counts of a query with no other filter).
    pub live: Vec<u32>,
}

impl FacetValues {
    /// Values and their postings as a stored index holds them (slot = position); the live
    /// counts are worked out with `is_live`. `None` if a value repeats or there are more
    /// than 65,536.
    pub fn from_parts(
        values: Vec<u16>,
        postings: Vec<Vec<u32>>,
        is_live: impl Fn(u32) -> bool,
    ) -> Option<Self> {
        if values.len() != postings.len() || values.len() > usize::from(u16::MAX) + 1 {
            return None;
        }
        let mut slot_of = FxHashMap::default();
        for (slot, &value) in values.iter().enumerate() {
            if slot_of.insert(value, u16::try_from(slot).ok()?).is_some() {
                return None;
            }
        }
        let live = postings
            .iter()
            .map(|docs| {
                let n = docs.iter().filter(|&&d| is_live(d)).count();
                u32::try_from(n).unwrap_or(u32::MAX)
            })
            .collect();
        Some(Self {
            slot_of,
            values,
            postings,
            live,
        })
    }

    pub fn slot(&self, value: u16) -> Option<u16> {
        self.slot_of.get(&value).copied()
    }

    /// The slot for `value`, creating it. There are at most 65,536 values, so a slot
    /// always fits in `u16`.
    pub fn intern(&mut self, value: u16) -> u16 {
        if let Some(&slot) = self.slot_of.get(&value) {
            return slot;
        }
        let slot = u16::try_from(self.values.len()).unwrap_or(u16::MAX);
        self.slot_of.insert(value, slot);
        self.values.push(value);
        self.postings.push(Vec::new());
        self.live.push(0);
        slot
    }

    pub fn add(&mut self, slot: u16, doc: u32) {
        let s = usize::from(slot);
        if let Some(list) = self.postings.get_mut(s) {
            push_once(list, doc);
        }
        if let Some(n) = self.live.get_mut(s) {
            *n += 1;
        }
    }

    pub fn forget(&mut self, slot: u16) {
        if let Some(n) = self.live.get_mut(usize::from(slot)) {
            *n = n.saturating_sub(1);
        }
    }

    pub fn remap(&mut self, remap: &[u32]) {
        for list in &mut self.postings {
            remap_ids(list, remap);
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.slot_of.capacity() * 5
            + self.values.capacity() * 2
            + self.live.capacity() * 4
            + self
                .postings
                .iter()
                .map(|p| p.capacity() * 4 + 24)
                .sum::<usize>()
    }
}

/// A query's filter on one facet, in slot terms.
#[derive(Debug, Clone, Default)]
pub(crate) struct SlotFilter {
    pub active: bool,
    pub mask: u64,
    /// Wanted slots at or above [`MASK_SLOTS`].
    pub spill: Vec<u16>,
    /// Every wanted slot, for walking postings.
    pub slots: Vec<u16>,
}

impl SlotFilter {
    /// Values the index has never seen cannot match, but the filter stays active: a filter
    /// on an unknown need matches nothing rather than everything.
    pub fn new(values: &FacetValues, wanted: impl IntoIterator<Item = u16>) -> Self {
        let mut filter = SlotFilter::default();
        for value in wanted {
            filter.active = true;
            let Some(slot) = values.slot(value) else {
                continue;
            };
            if slot < MASK_SLOTS {
                filter.mask |= 1 << slot;
            } else {
                filter.spill.push(slot);
            }
            filter.slots.push(slot);
        }
        filter.slots.sort_unstable();
        filter.slots.dedup();
        filter
    }

    pub fn passes(&self, mask: u64, spill: &[u32], facet: Facet) -> bool {
        !self.active
            || mask & self.mask != 0
            || (!self.spill.is_empty()
                && spill.iter().any(|&packed| {
                    let (f, slot) = unpack_spill(packed);
                    f == facet as u32 && self.spill.contains(&slot)
                }))
    }
}

/// A spilled value: facet in the high half, slot in the low half.
pub(crate) fn pack_spill(facet: Facet, slot: u16) -> u32 {
    ((facet as u32) << 16) | u32::from(slot)
}

pub(crate) fn unpack_spill(packed: u32) -> (u32, u16) {
    (packed >> 16, (packed & 0xFFFF) as u16)
}

//! Sorted lists of internal document ids, and the walks over them.
//!
//! Internal ids are dense `u32`s handed out in increasing order, and a document is only
//! ever appended (an update is a removal plus an append), so every list stays sorted by
//! pushing at the end: no merge step on the update path.

use std::borrow::Cow;

/// A term's documents, each with one byte of per-field detail (see `text_index`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Postings {
    #[serde(with = "crate::raw::u32s")]
    pub docs: Vec<u32>,
    #[serde(with = "crate::raw::u8s")]
    pub meta: Vec<u8>,
}

impl Postings {
    /// Records one occurrence in `doc`, which must be ≥ every doc already present;
    /// `combine` folds a repeat occurrence into the byte already stored.
    pub fn record(&mut self, doc: u32, byte: u8, combine: impl Fn(u8, u8) -> u8) {
        if self.docs.last() == Some(&doc) {
            if let Some(last) = self.meta.last_mut() {
                *last = combine(*last, byte);
            }
        } else {
            self.docs.push(doc);
            self.meta.push(byte);
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.docs.capacity() * 4 + self.meta.capacity()
    }

    /// Keeps surviving documents under their new ids (`remap[old]`, `u32::MAX` = gone).
    pub fn remap(&mut self, remap: &[u32]) {
        let mut keep = 0;
        for i in 0..self.docs.len() {
            let new = remap
                .get(self.docs[i] as usize)
                .copied()
                .unwrap_or(u32::MAX);
            if new != u32::MAX {
                self.docs[keep] = new;
                self.meta[keep] = self.meta[i];
                keep += 1;
            }
        }
        self.docs.truncate(keep);
        self.meta.truncate(keep);
        self.docs.shrink_to_fit();
        self.meta.shrink_to_fit();
    }
}

/// Keeps surviving documents of a plain id list under their new ids.
pub(crate) fn remap_ids(list: &mut Vec<u32>, remap: &[u32]) {
    list.retain_mut(|d| {
        let new = remap.get(*d as usize).copied().unwrap_or(u32::MAX);
        *d = new;
        new != u32::MAX
    });
    list.shrink_to_fit();
}

/// Pushes `doc` unless it is already the last entry (a document with two locations in one
/// cell, or two needs sharing a list).
pub(crate) fn push_once(list: &mut Vec<u32>, doc: u32) {
    if list.last() != Some(&doc) {
        list.push(doc);
    }
}

/// The first position at or after `from` whose id is ≥ `target` (or `docs.len()`).
/// Galloping: cheap for the short skips of a dense intersection and for long jumps alike.
pub(crate) fn advance(docs: &[u32], from: usize, target: u32) -> usize {
    let Some(rest) = docs.get(from..) else {
        return docs.len();
    };
    let mut bound = 1;
    while bound < rest.len() && rest[bound] < target {
        bound *= 2;
    }
    let lo = bound / 2;
    let hi = bound.min(rest.len());
    from + lo + rest[lo..hi].partition_point(|&d| d < target)
}

/// Union of sorted lists, without duplicates. Borrows when there is only one.
pub(crate) fn union_sorted<'a>(lists: &[&'a [u32]]) -> Cow<'a, [u32]> {
    match lists {
        [] => Cow::Borrowed(&[]),
        [one] => Cow::Borrowed(one),
        _ => {
            let mut all: Vec<u32> = Vec::with_capacity(lists.iter().map(|l| l.len()).sum());
            for list in lists {
                all.extend_from_slice(list);
            }
            all.sort_unstable();
            all.dedup();
            Cow::Owned(all)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_finds_first_not_less() {
        let docs = [1, 3, 5, 7, 9, 11, 13];
        assert_eq!(advance(&docs, 0, 0), 0);
        assert_eq!(advance(&docs, 0, 1), 0);
        assert_eq!(advance(&docs, 0, 2), 1);
        assert_eq!(advance(&docs, 2, 12), 6);
        assert_eq!(advance(&docs, 0, 14), 7);
        assert_eq!(advance(&docs, 7, 1), 7);
        assert_eq!(advance(&docs, 99, 1), 7);
        assert_eq!(advance(&[], 0, 1), 0);
    }

    #[test]
    fn union_dedups() {
        let a = [1, 4, 6];
        let b = [2, 4, 9];
        assert_eq!(&*union_sorted(&[&a, &b]), &[1, 2, 4, 6, 9]);
        assert_eq!(&*union_sorted(&[&a]), &a);
    }

    #[test]
    fn remap_drops_dead_and_renumbers() {
        let mut p = Postings::default();
        for d in [0, 2, 3] {
            p.record(d, 1, |a, b| a | b);
        }
        p.remap(&[0, u32::MAX, 1, u32::MAX]);
        assert_eq!(p.docs, [0, 1]);
        assert_eq!(p.meta, [1, 1]);
    }
}

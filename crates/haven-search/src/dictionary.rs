//! The term dictionary: term text ↔ dense term id, plus typo lookup.
//!
//! Typo candidates are found by scanning only the terms whose length is within the edit
//! budget, and among those only the ones whose character-set signature differs in at most
//! `2 × edits` bits (one edit adds or removes at most one character from the set; a swap
//! changes nothing), before running the edit-distance check. On the synthetic million-service
//! corpus the dictionary is a few thousand terms and a typo lookup costs microseconds; a real
//! directory's vocabulary is of the same order. An FST with a Levenshtein automaton (`fst`)
//! would pay off only for dictionaries of millions of terms, and building the automaton costs
//! more per query than this scan at our sizes.

use rustc_hash::FxHashMap;

use crate::analysis::within_edits;

#[derive(Debug, Default, Clone)]
pub(crate) struct Dictionary {
    ids: FxHashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
    /// Term ids by length in characters.
    by_len: Vec<Vec<u32>>,
    signatures: Vec<u64>,
}

fn signature(term: &str) -> u64 {
    term.chars().fold(0u64, |sig, c| {
        sig | 1u64 << (u32::from(c).wrapping_mul(0x9E37_79B1) >> 26)
    })
}

impl Dictionary {
    pub fn get(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        let len = term.chars().count();
        if self.by_len.len() <= len {
            self.by_len.resize_with(len + 1, Vec::new);
        }
        if let Some(bucket) = self.by_len.get_mut(len) {
            bucket.push(id);
        }
        self.signatures.push(signature(term));
        self.terms.push(term.into());
        self.ids.insert(term.into(), id);
        id
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Every term, its position being its id.
    pub fn terms(&self) -> &[Box<str>] {
        &self.terms
    }

    /// The dictionary holding `terms` under their positions; `None` if a term repeats.
    pub fn from_terms(terms: Vec<Box<str>>) -> Option<Self> {
        let mut dictionary = Self::default();
        for (position, term) in terms.into_iter().enumerate() {
            if dictionary.intern(&term) as usize != position {
                return None;
            }
        }
        Some(dictionary)
    }

    /// Calls `found(term_id, edits)` for every term within `max_edits` of `query`, except
    /// `query` itself.
    pub fn within(&self, query: &str, max_edits: u32, mut found: impl FnMut(u32, u32)) {
        if max_edits == 0 {
            return;
        }
        let len = query.chars().count();
        let sig = signature(query);
        let lo = len.saturating_sub(max_edits as usize);
        let hi = len + max_edits as usize;
        for bucket in self.by_len.iter().take(hi + 1).skip(lo) {
            for &id in bucket {
                let i = id as usize;
                let Some(&term_sig) = self.signatures.get(i) else {
                    continue;
                };
                if (term_sig ^ sig).count_ones() > 2 * max_edits {
                    continue;
                }
                let Some(term) = self.terms.get(i) else {
                    continue;
                };
                if **term == *query {
                    continue;
                }
                if within_edits(query, term, 1) {
                    found(id, 1);
                } else if max_edits >= 2 && within_edits(query, term, 2) {
                    found(id, 2);
                }
            }
        }
    }

    pub fn heap_bytes(&self) -> usize {
        let strings: usize = self.terms.iter().map(|t| t.len()).sum();
        // Each term's text is held twice (map key and list); the map costs its buckets.
        2 * strings
            + self.terms.capacity() * 16
            + self.ids.capacity() * (16 + 4 + 1)
            + self.signatures.capacity() * 8
            + self
                .by_len
                .iter()
                .map(|b| b.capacity() * 4 + 24)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_terms_within_budget() {
        let mut d = Dictionary::default();
        for t in ["legal", "regal", "leg", "advic", "accommod"] {
            d.intern(t);
        }
        let mut found = Vec::new();
        d.within("legl", 1, |id, e| found.push((id, e)));
        found.sort_unstable();
        assert_eq!(found, [(0, 1), (2, 1)]);
        let mut two = Vec::new();
        d.within("acomod", 2, |id, e| two.push((id, e)));
        assert_eq!(two, [(4, 2)]);
        assert_eq!(d.intern("legal"), 0);
        assert_eq!(d.len(), 5);
    }

    #[test]
    fn rebuilt_from_its_terms_it_finds_the_same() {
        let mut d = Dictionary::default();
        for t in ["legal", "regal", "leg", "advic"] {
            d.intern(t);
        }
        let again = Dictionary::from_terms(d.terms().to_vec()).unwrap();
        assert_eq!(again.get("leg"), Some(2));
        let mut found = Vec::new();
        again.within("legl", 1, |id, e| found.push((id, e)));
        found.sort_unstable();
        assert_eq!(found, [(0, 1), (2, 1)]);
        assert!(Dictionary::from_terms(vec!["a".into(), "b".into(), "a".into()]).is_none());
    }
}

//! The place-name index: exact lookup by normalised key, typo-tolerant lookup, prefix
//! search for autocomplete. It knows nothing about coordinates; entries point at a
//! `Target` the gazetteer owns.

use std::collections::HashMap;

/// What a name refers to: an index into the gazetteer's towns or local authorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Town(usize),
    LocalAuthority(usize),
}

#[derive(Debug)]
pub(crate) struct Entry {
    /// The spelling to show (a suggestion a person can click, which resolves back here).
    pub display: String,
    pub target: Target,
    /// Higher is more likely meant. See `Gazetteer::embedded` for the weighting.
    pub score: f64,
}

/// Letter counts of a key: a-z, 0-9, space. Keys are normalised ASCII, so nothing else
/// occurs; anything unexpected shares the last slot.
type Histogram = [u8; 37];

fn histogram(text: &str) -> Histogram {
    let mut h = [0u8; 37];
    for b in text.bytes() {
        let slot = match b {
            b'a'..=b'z' => usize::from(b - b'a'),
            b'0'..=b'9' => 26 + usize::from(b - b'0'),
            _ => 36,
        };
        if let Some(count) = h.get_mut(slot) {
            *count = count.saturating_add(1);
        }
    }
    h
}

/// A lower bound on the edit distance between two strings from their letter counts: an
/// insertion or deletion changes the counts by 1, a substitution by 2, a transposition by
/// 0, so at least ceil(L1 / 2) edits are needed. Far cheaper than the real distance, it
/// discards most candidates before `strsim` runs.
fn edit_lower_bound(a: &Histogram, b: &Histogram) -> usize {
    let l1: usize = a
        .iter()
        .zip(b)
        .map(|(x, y)| usize::from(x.abs_diff(*y)))
        .sum();
    l1.div_ceil(2)
}

#[derive(Debug)]
struct Key {
    text: String,
    histogram: Histogram,
    /// Entries sharing this key, best score first.
    entries: Vec<usize>,
}

#[derive(Debug, Default)]
pub(crate) struct NameIndex {
    entries: Vec<Entry>,
    keys: Vec<Key>,
    by_text: HashMap<String, usize>,
    /// Key indices bucketed by key length (bytes; keys are ASCII), so fuzzy search only
    /// compares against keys whose length could be within the allowed edit distance.
    by_len: Vec<Vec<usize>>,
    /// Key indices sorted by text, for prefix search.
    sorted: Vec<usize>,
}

/// How many edits a typo may make, by key length. Short names get none: "Ely" is one edit
/// from "Eye", "Rye", "Ewell"'s neighbours… and a wrong confident answer is worse than
/// a list of suggestions.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=5 => 1,
        6..=10 => 2,
        _ => 3,
    }
}

impl NameIndex {
    pub fn add(&mut self, key: String, entry: Entry) {
        if key.is_empty() {
            return;
        }
        let entry_idx = self.entries.len();
        self.entries.push(entry);
        let key_idx = *self.by_text.entry(key.clone()).or_insert_with(|| {
            self.keys.push(Key {
                histogram: histogram(&key),
                text: key,
                entries: Vec::new(),
            });
            self.keys.len() - 1
        });
        if let Some(k) = self.keys.get_mut(key_idx) {
            k.entries.push(entry_idx);
        }
    }

    /// Sorts and buckets; call once after the last `add`.
    pub fn finish(&mut self) {
        let entries = &self.entries;
        let score = |i: &usize| entries.get(*i).map_or(0.0, |e| e.score);
        for key in &mut self.keys {
            key.entries.sort_by(|a, b| score(b).total_cmp(&score(a)));
        }
        self.by_len.clear();
        for (i, key) in self.keys.iter().enumerate() {
            let len = key.text.len();
            if self.by_len.len() <= len {
                self.by_len.resize_with(len + 1, Vec::new);
            }
            if let Some(bucket) = self.by_len.get_mut(len) {
                bucket.push(i);
            }
        }
        let keys = &self.keys;
        self.sorted = (0..keys.len()).collect();
        self.sorted.sort_by(|a, b| {
            let text = |i: &usize| keys.get(*i).map_or("", |k| k.text.as_str());
            text(a).cmp(text(b))
        });
    }

    pub fn entry(&self, idx: usize) -> Option<&Entry> {
        self.entries.get(idx)
    }

    /// Entries whose key is exactly `key`, best first.
    pub fn exact(&self, key: &str) -> &[usize] {
        self.by_text
            .get(key)
            .and_then(|&k| self.keys.get(k))
            .map_or(&[], |k| k.entries.as_slice())
    }

    /// Keys within `max_edits` (Damerau–Levenshtein, optimal string alignment) of `key`,
    /// as (edits, key index), nearest first and then by best entry score.
    fn within(&self, key: &str, max_edits: usize) -> Vec<(usize, usize)> {
        let len = key.len();
        let query_histogram = histogram(key);
        let lo = len.saturating_sub(max_edits);
        let hi = (len + max_edits).min(self.by_len.len().saturating_sub(1));
        let mut hits = Vec::new();
        for bucket in self.by_len.get(lo..=hi).unwrap_or(&[]) {
            for &k in bucket {
                let Some(candidate) = self.keys.get(k) else {
                    continue;
                };
                if edit_lower_bound(&query_histogram, &candidate.histogram) > max_edits {
                    continue;
                }
                let d = strsim::osa_distance(key, &candidate.text);
                if d <= max_edits {
                    hits.push((d, k));
                }
            }
        }
        hits.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(self.best_score(b.1).total_cmp(&self.best_score(a.1)))
        });
        hits
    }

    fn best_score(&self, key_idx: usize) -> f64 {
        self.keys
            .get(key_idx)
            .and_then(|k| k.entries.first())
            .and_then(|&e| self.entries.get(e))
            .map_or(0.0, |e| e.score)
    }

    fn key_entries(&self, key_idx: usize) -> &[usize] {
        self.keys.get(key_idx).map_or(&[], |k| k.entries.as_slice())
    }

    /// Typo-tolerant lookup: entries of the keys at the smallest edit distance found
    /// (within the length-dependent allowance), best first. Empty if nothing is close.
    pub fn fuzzy(&self, key: &str) -> Vec<usize> {
        let hits = self.within(key, allowed_edits(key.len()));
        let Some(&(best, _)) = hits.first() else {
            return Vec::new();
        };
        let mut out: Vec<usize> = hits
            .iter()
            .take_while(|(d, _)| *d == best)
            .flat_map(|&(_, k)| self.key_entries(k).iter().copied())
            .collect();
        out.sort_by(|a, b| self.score(*b).total_cmp(&self.score(*a)));
        out
    }

    fn score(&self, entry: usize) -> f64 {
        self.entries.get(entry).map_or(0.0, |e| e.score)
    }

    /// The `limit` entries spelled most like `key` (for "did you mean"), best first; never
    /// empty while the index is not.
    ///
    /// Compares against the keys closest in length first and stops after a fixed budget of
    /// comparisons, so the cost is bounded whatever is typed (an unbounded scan made
    /// a 60-character query compare against every key).
    pub fn nearest(&self, key: &str, limit: usize) -> Vec<usize> {
        const BUDGET: usize = 250;
        // Characters beyond the longest name cannot make any name a closer match worth
        // suggesting; cutting them keeps junk input cheap. Keys are ASCII.
        let longest = self.by_len.len().saturating_sub(1);
        let key = key.get(..longest).unwrap_or(key);
        let len = key.len();
        let mut scored: Vec<(usize, usize)> = Vec::new();
        for offset in 0..self.by_len.len().max(len + 1) {
            let below = len.checked_sub(offset).filter(|_| offset > 0);
            for bucket_len in [Some(len + offset), below].into_iter().flatten() {
                for &k in self.by_len.get(bucket_len).map_or(&[][..], Vec::as_slice) {
                    if let Some(candidate) = self.keys.get(k) {
                        scored.push((strsim::osa_distance(key, &candidate.text), k));
                    }
                }
            }
            if scored.len() >= BUDGET {
                break;
            }
        }
        scored.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(self.best_score(b.1).total_cmp(&self.best_score(a.1)))
        });
        scored
            .into_iter()
            .filter_map(|(_, k)| self.key_entries(k).first().copied())
            .take(limit)
            .collect()
    }

    /// Entries whose key starts with `prefix`, best score first, at most `limit`.
    pub fn prefixed(&self, prefix: &str, limit: usize) -> Vec<usize> {
        let text = |i: usize| self.keys.get(i).map_or("", |k| k.text.as_str());
        let start = self.sorted.partition_point(|&k| text(k) < prefix);
        let mut found: Vec<usize> = self
            .sorted
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&k| text(k).starts_with(prefix))
            .flat_map(|&k| self.key_entries(k).iter().copied())
            .collect();
        found.sort_by(|a, b| self.score(*b).total_cmp(&self.score(*a)));
        found.truncate(limit);
        found
    }
}

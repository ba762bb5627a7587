//! Turning text into index terms, the same way for documents and queries.
//!
//! A word is lowercased and decomposed (NFKD) with its combining marks dropped, so `Café`
//! and `cafe` meet, and Arabic short-vowel marks and hamza seats fold away (`أ` → `ا`). A few
//! Arabic letters that people type interchangeably are folded too (`ة` → `ه`, `ى` → `ي`).
//! Words in Latin letters then go through the English Snowball stemmer, so `classes` and
//! `class` meet. We use `rust-stemmers` because it is the Snowball project's own algorithm
//! (the one Lucene, PostgreSQL and SQLite FTS use), pure Rust, small and stable; a homemade
//! suffix stripper would be worse and nobody would maintain it. Other scripts are not
//! stemmed: a wrong stem is worse than none.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longer words are cut: nobody searches for them, and it bounds typo-matching work.
pub const MAX_TERM_CHARS: usize = 48;

/// English words that carry no meaning for search. Removing them lets "help for women"
/// match "women's help" and keeps "and"/"for" from matching most of the directory.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "our", "the", "their", "to", "we", "with", "you", "your",
];

/// Words that mean the same thing in this directory. Kept short and one-word: each group
/// widens every query using it, so only true equivalents belong here. "english classes"
/// must find "ESOL English lessons".
const SYNONYM_GROUPS: &[&[&str]] = &[
    &["class", "lesson", "course"],
    &["lawyer", "solicitor", "barrister"],
    &["job", "employment"],
    &["housing", "accommodation"],
    &["child", "children", "kid"],
    &["woman", "women"],
    &["lgbt", "lgbtq", "lgbtqi", "lgbtqia", "lgbtq+"],
    &["doctor", "gp"],
    &["counselling", "therapy"],
];

/// The analyser: owns the stemmer and the synonym table. Cheap to share (`Sync`).
pub struct Analyzer {
    stemmer: Stemmer,
    synonyms: HashMap<Box<str>, Vec<Box<str>>>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").finish_non_exhaustive()
    }
}

impl Clone for Analyzer {
    /// The stemmer holds no state worth copying; a fresh analyser is identical.
    fn clone(&self) -> Self {
        Analyzer::new()
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl Analyzer {
    pub fn new() -> Self {
        let mut analyzer = Self {
            stemmer: Stemmer::create(Algorithm::English),
            synonyms: HashMap::new(),
        };
        for group in SYNONYM_GROUPS {
            let stems: Vec<Box<str>> = group
                .iter()
                .filter_map(|w| analyzer.term(w))
                .map(String::into_boxed_str)
                .collect();
            for stem in &stems {
                let others = stems.iter().filter(|s| *s != stem).cloned();
                let entry = analyzer.synonyms.entry(stem.clone()).or_default();
                entry.extend(others);
                entry.sort();
                entry.dedup();
            }
        }
        analyzer
    }

    /// Every term of `text`, in order, stop words removed. Convenience for tests and callers
    /// that want to see what the index sees.
    pub fn terms(&self, text: &str) -> Vec<String> {
        words(text).filter_map(|w| self.term(w)).collect()
    }

    /// The index term for one raw word from [`words`], or `None` for a stop word or a word
    /// with nothing searchable in it.
    pub fn term(&self, raw: &str) -> Option<String> {
        let mut normal = String::with_capacity(raw.len());
        let mut chars = 0;
        for c in raw.nfkd() {
            if chars >= MAX_TERM_CHARS {
                break;
            }
            if is_combining_mark(c) || matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{0640}') {
                continue;
            }
            let c = match c {
                '\u{0629}' => '\u{0647}', // teh marbuta → heh
                '\u{0649}' => '\u{064A}', // alef maksura → yeh
                other => other,
            };
            for lower in c.to_lowercase() {
                normal.push(lower);
                chars += 1;
            }
        }
        if normal.is_empty() || STOP_WORDS.contains(&normal.as_str()) {
            return None;
        }
        if normal.bytes().all(|b| b.is_ascii_alphabetic()) {
            let stemmed = self.stemmer.stem(&normal);
            if stemmed.is_empty() {
                return Some(normal);
            }
            return Some(stemmed.into_owned());
        }
        Some(normal)
    }

    /// Terms that mean the same as `term` (not including itself).
    pub fn synonyms(&self, term: &str) -> &[Box<str>] {
        self.synonyms.get(term).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Raw words: runs of letters, digits, combining marks and in-word apostrophes. Anything
/// else (spaces, punctuation, symbols) separates words. `+` is kept so "LGBTQ+" survives.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| {
        !(c.is_alphanumeric()
            || is_combining_mark(c)
            || matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '+' | '\u{0640}'))
    })
    .filter(|w| !w.is_empty())
}

/// How many typos a query term may contain, by its length in characters. Short terms get
/// none: "food" is one edit from "good" and "foot".
pub fn typo_budget(term: &str) -> u32 {
    match term.chars().count() {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

/// Whether `a` and `b` are within `max` edits, counting an insertion, deletion,
/// substitution or swap of two neighbouring characters as one edit (optimal string
/// alignment distance, the usual model of typing mistakes).
pub fn within_edits(a: &str, b: &str, max: u32) -> bool {
    let mut a_buf = [0u32; MAX_TERM_CHARS + 4];
    let mut b_buf = [0u32; MAX_TERM_CHARS + 4];
    let (Some(a), Some(b)) = (chars_into(a, &mut a_buf), chars_into(b, &mut b_buf)) else {
        return false;
    };
    osa_within(a, b, max as usize)
}

fn chars_into<'b>(s: &str, buf: &'b mut [u32]) -> Option<&'b [u32]> {
    let mut n = 0;
    for c in s.chars() {
        *buf.get_mut(n)? = u32::from(c);
        n += 1;
    }
    buf.get(..n)
}

/// Banded dynamic programme over three rows; gives up as soon as a row exceeds `max`.
fn osa_within(a: &[u32], b: &[u32], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    const W: usize = MAX_TERM_CHARS + 5;
    let mut prev2 = [0usize; W];
    let mut prev = [0usize; W];
    let mut cur = [0usize; W];
    for (j, cell) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return false;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_stems_and_drops_stop_words() {
        let a = Analyzer::new();
        assert_eq!(
            a.terms("English classes for Roma children"),
            ["english", "class", "roma", "children"]
        );
        assert_eq!(a.terms("Legal ADVICE"), a.terms("legal advice"));
        assert_eq!(a.terms("Women's group"), ["women", "group"]);
    }

    #[test]
    fn strips_latin_diacritics() {
        let a = Analyzer::new();
        assert_eq!(a.terms("Café Ümit São"), a.terms("cafe umit sao"));
        assert_eq!(a.terms("Română"), ["romana"]);
    }

    #[test]
    fn folds_arabic_marks_and_letter_variants() {
        let a = Analyzer::new();
        // "مُساعَدة قانونية" (legal help) with and without vowel marks and teh marbuta.
        assert_eq!(a.terms("مُساعَدة قانونية"), a.terms("مساعده قانونيه"));
        // Alef with hamza folds to bare alef.
        assert_eq!(a.terms("أسرة"), a.terms("اسره"));
        assert_eq!(a.terms("لغة عربية").len(), 2);
    }

    #[test]
    fn keeps_plus_and_digits() {
        let a = Analyzer::new();
        assert_eq!(
            a.terms("LGBTQ+ support 24/7"),
            ["lgbtq+", "support", "24", "7"]
        );
    }

    #[test]
    fn synonyms_are_symmetric_and_stemmed() {
        let a = Analyzer::new();
        let class = a.terms("classes").pop().unwrap_or_default();
        let lesson = a.terms("lessons").pop().unwrap_or_default();
        assert!(a.synonyms(&class).iter().any(|s| **s == *lesson));
        assert!(a.synonyms(&lesson).iter().any(|s| **s == *class));
        assert!(a.synonyms("zzz").is_empty());
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert!(within_edits("legl", "legal", 1));
        assert!(within_edits("lgeal", "legal", 1));
        assert!(!within_edits("lgl", "legal", 1));
        assert!(within_edits("acommodation", "accommodation", 1));
        assert!(within_edits("advic", "advise", 2));
        assert!(!within_edits("food", "bank", 2));
        assert!(within_edits("", "ab", 2));
        assert!(!within_edits("", "abc", 2));
    }

    #[test]
    fn typo_budget_grows_with_length() {
        assert_eq!(typo_budget("gp"), 0);
        assert_eq!(typo_budget("legl"), 1);
        assert_eq!(typo_budget("accommodat"), 2);
    }

    #[test]
    fn odd_input_never_panics() {
        let a = Analyzer::new();
        let long = "x".repeat(10_000);
        assert_eq!(
            a.terms(&long).first().map(|t| t.chars().count()),
            Some(MAX_TERM_CHARS)
        );
        let _ = a.terms("\u{0}\u{FFFF}\u{10FFFF} ́ ̈ 🙂 ﷽");
        assert!(!within_edits(&long, "x", 2));
    }
}

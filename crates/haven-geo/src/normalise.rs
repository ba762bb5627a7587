//! Place-name normalisation, so that the index and the query meet in the middle.
//!
//! "St. Albans", "saint albans" and "ST ALBANS" must be one key; so must
//! "Newcastle-upon-Tyne" and "Newcastle upon Tyne", "Ynys Môn" and "Ynys Mon",
//! "King's Lynn" and "Kings Lynn".

/// Longest query we try to match, in characters. No UK place name comes close
/// (the longest are ~40); bounding it keeps fuzzy matching cheap on hostile input.
pub(crate) const MAX_QUERY_CHARS: usize = 80;

/// Lower-case ASCII words separated by single spaces.
///
/// Diacritics are folded with `deunicode`, which also transliterates other scripts
/// (so "Лондон" becomes "london"); that is a happy accident for people typing on a
/// phone set to their own language, not something we promise.
pub(crate) fn normalise(input: &str) -> String {
    let bounded: String = input.chars().take(MAX_QUERY_CHARS).collect();
    let ascii = deunicode::deunicode(&bounded);
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in ascii.chars() {
        match c {
            'a'..='z' | '0'..='9' => word.push(c),
            'A'..='Z' => word.push(c.to_ascii_lowercase()),
            // Apostrophes join ("King's" → "kings"); they are not word breaks.
            '\'' | '`' => {}
            '&' => {
                flush(&mut word, &mut words);
                words.push("and".to_owned());
            }
            _ => flush(&mut word, &mut words),
        }
    }
    flush(&mut word, &mut words);
    for w in &mut words {
        // "St." lost its dot above; "Saint" is the other common spelling.
        if w == "saint" {
            "st".clone_into(w);
        }
    }
    let mut out = words.join(" ");
    // Transliteration can lengthen text (one CJK character becomes a syllable), so bound
    // the output too. It is pure ASCII, so any byte index is a character boundary.
    out.truncate(MAX_QUERY_CHARS);
    out.truncate(out.trim_end().len());
    out
}

fn flush(word: &mut String, words: &mut Vec<String>) {
    if !word.is_empty() {
        words.push(std::mem::take(word));
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn folds_punctuation_case_and_diacritics() {
        assert_eq!(normalise("St. Albans"), "st albans");
        assert_eq!(normalise("Saint Albans"), "st albans");
        assert_eq!(normalise("Newcastle-upon-Tyne"), "newcastle upon tyne");
        assert_eq!(normalise("  NEWCASTLE   upon tyne "), "newcastle upon tyne");
        assert_eq!(normalise("King's Lynn"), "kings lynn");
        assert_eq!(normalise("Ynys Môn"), "ynys mon");
        assert_eq!(normalise("Brighton & Hove"), "brighton and hove");
        assert_eq!(normalise("Bristol, City of"), "bristol city of");
        assert_eq!(normalise("!!!"), "");
    }

    #[test]
    fn bounds_long_input() {
        let long = "a".repeat(10_000);
        assert_eq!(normalise(&long).len(), super::MAX_QUERY_CHARS);
    }
}

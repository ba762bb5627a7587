//! Bounded, trimmed text: the shape of every free-text field a person types into Haven.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Text that is trimmed, not empty, has no control characters other than line breaks and tabs,
/// and is at most `max` characters long.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(String);

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but whitespace.
    #[error("is empty")]
    Empty,
    /// Longer than allowed.
    #[error("is longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Holds a control character, which no human-typed text needs.
    #[error("contains a control character")]
    ControlCharacter,
}

impl Text {
    /// Validates `raw` as text of at most `max` characters.
    pub fn parse(raw: &str, max: usize) -> Result<Self, TextError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(TextError::Empty);
        }
        if trimmed.chars().count() > max {
            return Err(TextError::TooLong { max });
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(TextError::ControlCharacter);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// Validates `raw` as one line of at most `max` characters: like [`Text::parse`], but a line
    /// break is refused too (as [`TextError::ControlCharacter`], which it is). Names go into
    /// e-mail bodies and table cells, where a line break would let a name pose as another line.
    pub fn parse_line(raw: &str, max: usize) -> Result<Self, TextError> {
        let text = Self::parse(raw, max)?;
        if text.0.contains(['\n', '\r']) {
            return Err(TextError::ControlCharacter);
        }
        Ok(text)
    }

    /// The text on one line: each run of line breaks (and the spaces around it) becomes one
    /// space. For text stored before it had to be one line, where it goes somewhere a line break
    /// must not (an e-mail naming a person).
    pub fn one_line(&self) -> String {
        self.0
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The text itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Takes the text out.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn trims_and_refuses_blank() {
        assert_eq!(Text::parse("  hello ", 10).unwrap().as_str(), "hello");
        assert_eq!(Text::parse(" \n\t ", 10), Err(TextError::Empty));
    }

    #[test]
    fn counts_characters_not_bytes() {
        // Five Arabic letters are ten bytes but five characters.
        assert!(Text::parse("مرحبا", 5).is_ok());
        assert_eq!(Text::parse("مرحبا!", 5), Err(TextError::TooLong { max: 5 }));
    }

    #[test]
    fn refuses_control_characters() {
        assert_eq!(Text::parse("a\u{0}b", 10), Err(TextError::ControlCharacter));
        assert!(Text::parse("line one\nline two", 40).is_ok());
    }

    #[test]
    fn a_line_refuses_line_breaks() {
        assert_eq!(
            Text::parse_line("  Amal Haddad ", 40).unwrap().as_str(),
            "Amal Haddad"
        );
        assert_eq!(
            Text::parse_line("Amal\nDear coordinator", 40),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(
            Text::parse_line("Amal\rHaddad", 40),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(Text::parse_line(" \n ", 40), Err(TextError::Empty));
        assert_eq!(
            Text::parse_line("a\u{0}b", 40),
            Err(TextError::ControlCharacter)
        );
        assert!(Text::parse_line("Amal\tHaddad", 40).is_ok());
    }

    #[test]
    fn one_line_joins_lines_with_a_space() {
        let stored = Text::parse("Amal \r\n\r\n Haddad\nJones", 40).unwrap();
        assert_eq!(stored.one_line(), "Amal Haddad Jones");
        assert_eq!(
            Text::parse("Amal Haddad", 40).unwrap().one_line(),
            "Amal Haddad"
        );
    }

    proptest! {
        #[test]
        fn accepted_text_parses_to_itself(raw in "\\PC{0,60}") {
            if let Ok(text) = Text::parse(&raw, 50) {
                let again = Text::parse(text.as_str(), 50).unwrap();
                prop_assert_eq!(again, text);
            }
        }

        #[test]
        fn one_line_has_no_line_break(raw in "(\\PC|\n|\r){0,60}") {
            if let Ok(text) = Text::parse(&raw, 60) {
                let line = text.one_line();
                prop_assert!(!line.contains(['\n', '\r']));
                prop_assert!(Text::parse_line(&line, 60).is_ok());
            }
        }
    }
}

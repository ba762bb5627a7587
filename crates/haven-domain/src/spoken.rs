//! Languages people seeking help speak, by ISO 639 code: the English name (for HSDS
//! `language.name`) and the name in the language itself, which the directory shows so that a
//! reader finds their language whatever language the page is in.

/// One spoken language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spoken {
    /// ISO 639-1 code (ISO 639-2/3 where there is no 639-1 code, e.g. `rom` for Romani).
    pub code: &'static str,
    /// English name.
    pub english: &'static str,
    /// Its own name.
    pub autonym: &'static str,
}

/// The languages Haven names; others are shown by their code.
pub const SPOKEN: &[Spoken] = &[
    Spoken {
        code: "en",
        english: "English",
        autonym: "English",
    },
    Spoken {
        code: "ar",
        english: "Arabic",
        autonym: "العربية",
    },
    Spoken {
        code: "fa",
        english: "Persian (Farsi)",
        autonym: "فارسی",
    },
    Spoken {
        code: "ps",
        english: "Pashto",
        autonym: "پښتو",
    },
    Spoken {
        code: "ku",
        english: "Kurdish",
        autonym: "Kurdî",
    },
    Spoken {
        code: "ti",
        english: "Tigrinya",
        autonym: "ትግርኛ",
    },
    Spoken {
        code: "am",
        english: "Amharic",
        autonym: "አማርኛ",
    },
    Spoken {
        code: "so",
        english: "Somali",
        autonym: "Soomaali",
    },
    Spoken {
        code: "ur",
        english: "Urdu",
        autonym: "اردو",
    },
    Spoken {
        code: "pa",
        english: "Punjabi",
        autonym: "ਪੰਜਾਬੀ",
    },
    Spoken {
        code: "bn",
        english: "Bengali",
        autonym: "বাংলা",
    },
    Spoken {
        code: "pl",
        english: "Polish",
        autonym: "Polski",
    },
    Spoken {
        code: "ro",
        english: "Romanian",
        autonym: "Română",
    },
    Spoken {
        code: "rom",
        english: "Romani",
        autonym: "Romani čhib",
    },
    Spoken {
        code: "sk",
        english: "Slovak",
        autonym: "Slovenčina",
    },
    Spoken {
        code: "sq",
        english: "Albanian",
        autonym: "Shqip",
    },
    Spoken {
        code: "uk",
        english: "Ukrainian",
        autonym: "Українська",
    },
    Spoken {
        code: "fr",
        english: "French",
        autonym: "Français",
    },
    Spoken {
        code: "es",
        english: "Spanish",
        autonym: "Español",
    },
    Spoken {
        code: "pt",
        english: "Portuguese",
        autonym: "Português",
    },
    Spoken {
        code: "vi",
        english: "Vietnamese",
        autonym: "Tiếng Việt",
    },
    Spoken {
        code: "zh",
        english: "Chinese",
        autonym: "中文",
    },
    Spoken {
        code: "cy",
        english: "Welsh",
        autonym: "Cymraeg",
    },
];

/// The language with this code.
pub fn spoken(code: &str) -> Option<Spoken> {
    let code = code.trim();
    SPOKEN
        .iter()
        .copied()
        .find(|s| s.code.eq_ignore_ascii_case(code))
}

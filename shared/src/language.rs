//! The UI languages and how one is chosen.

use crate::validation::Invalid;
use serde::{Deserialize, Serialize};

/// A language the UI is translated into. German is the default: German-speaking users
/// are the first audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Language {
    #[default]
    De,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::De, Language::En];

    /// A whole number with thousands grouped as the language writes them: "1.234.567"
    /// / "1,234,567".
    pub fn number(self, n: u64) -> String {
        let group = if self == Language::De { '.' } else { ',' };
        let digits = n.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(group);
            }
            grouped.push(ch);
        }
        grouped
    }

    /// The BCP 47 code, as used in `<html lang>` and stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    /// The language's name in itself, for language pickers.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::De => "Deutsch",
            Language::En => "English",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        let code = code.trim();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
            .ok_or(Invalid::UnknownLanguage)
    }

    /// Picks the best supported language from an HTTP `Accept-Language` header
    /// (`de-DE,de;q=0.9,en;q=0.8`), honouring quality values; ties keep header order.
    /// Falls back to the default when nothing matches.
    pub fn negotiate(accept_language: &str) -> Self {
        let mut best: Option<(f32, Language)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Ok(lang) = Language::parse(tag) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_by_language() {
        assert_eq!(Language::De.number(1_234_567), "1.234.567");
        assert_eq!(Language::En.number(1_234), "1,234");
        assert_eq!(Language::De.number(999), "999");
        assert_eq!(Language::En.number(0), "0");
        assert_eq!(Language::De.number(10_000), "10.000");
    }

    #[test]
    fn parses_codes_and_regions() {
        assert_eq!(Language::parse("de"), Ok(Language::De));
        assert_eq!(Language::parse("EN"), Ok(Language::En));
        assert_eq!(Language::parse("en-GB"), Ok(Language::En));
        assert_eq!(Language::parse("de_AT"), Ok(Language::De));
        assert_eq!(Language::parse("fr"), Err(Invalid::UnknownLanguage));
        assert_eq!(Language::parse(""), Err(Invalid::UnknownLanguage));
    }

    #[test]
    fn negotiates_by_quality() {
        assert_eq!(Language::negotiate("en-US,en;q=0.9,de;q=0.8"), Language::En);
        assert_eq!(Language::negotiate("fr-FR,fr;q=0.9,en;q=0.5,de;q=0.7"), Language::De);
        assert_eq!(Language::negotiate("de;q=0.2, en;q=0.3"), Language::En);
        assert_eq!(Language::negotiate("en;q=0, de;q=0.1"), Language::De);
    }

    #[test]
    fn negotiation_falls_back_to_german() {
        assert_eq!(Language::negotiate(""), Language::De);
        assert_eq!(Language::negotiate("fr, es;q=0.5"), Language::De);
        assert_eq!(Language::negotiate("*"), Language::De);
        assert_eq!(Language::negotiate("en;q=abc"), Language::En);
    }
}

//! The words of listings and queries as search compares them. A listing's title and
//! description are stored as [`index_text`]; a query becomes [`search_terms`]; both go
//! through the same [`word_key`], so SQLite and PostgreSQL, which only split the stored
//! text at spaces and match prefixes, find the same listings:
//!
//! - accents and case do not count: "Kühlschrank" and "kuhlschrank" ([`fold`]);
//! - German spellings without umlauts do not count either: "Muenchen", "koeln" and
//!   "Strasse" are "München", "Köln" and "Straße" ([`without_umlaut_e`]);
//! - plurals and inflections do not count: "Fahrräder" finds "Fahrrad", "Sofas" finds
//!   "Sofa" (Snowball stemming, German then English: listings are written in either).

use super::MAX_TERMS;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

/// A query term longer than this is cut.
const MAX_TERM_CHARS: usize = 40;

/// The words of a query, as the search index holds them ([`word_key`]): letters and
/// digits, lower case, without accents, stemmed, at most [`MAX_TERMS`], each at most 40
/// characters. Everything else (quotes, operators, punctuation) separates words, so no
/// input can break the full-text syntax.
pub fn search_terms(q: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in fold(q).split(' ').filter(|w| !w.is_empty()) {
        let word: String = word.chars().take(MAX_TERM_CHARS).collect();
        let key = word_key(&word);
        if !key.is_empty() && !terms.contains(&key) {
            terms.push(key);
        }
        if terms.len() == MAX_TERMS {
            break;
        }
    }
    terms
}

/// What the search index stores for a text (a listing's title and description): the
/// [`word_key`] of each of its words, separated by single spaces.
pub fn index_text(text: &str) -> String {
    fold(text).split(' ').filter(|w| !w.is_empty()).map(word_key).collect::<Vec<_>>().join(" ")
}

/// The inner parts of a title's compound words, as extra index words: every ending of
/// at least three letters that starts at the fourth letter or later, of each word of at
/// least six ([`word_key`]s, no words with digits). Search matches the start of stored
/// words, so "Helm" then finds "Fahrradhelm" (through "helm"), "Tisch" finds
/// "Schreibtischstuhl" (through "tischstuhl") and "Rad" finds "Fahrrad". Titles only:
/// they name the thing in one compound, descriptions are prose and would multiply the
/// index for little gain.
pub fn compound_parts(title: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for key in fold(title).split(' ').filter(|w| !w.is_empty()).map(word_key) {
        let chars: Vec<char> = key.chars().collect();
        if chars.len() < 6 || chars.iter().any(char::is_ascii_digit) {
            continue;
        }
        for start in 3..=chars.len() - 3 {
            let part: String = chars[start..].iter().collect();
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
    }
    parts.join(" ")
}

/// The form of one folded word that search compares: the umlaut spellings with "e"
/// made plain, then the German and the English Snowball stem. "fahrrader" and
/// "fahrrad" give "fahrrad", "sofas" and "sofa" give "sofa", "muenchen" and "munchen"
/// give the same key. Words with digits are kept as they are ("iphone14", "28").
///
/// A key is always the start of the plain word: where a stemmer changes letters
/// instead of only cutting them ("handy" → "handi", "baby" → "babi"), the key is what
/// the stem and the word have in common ("hand", "bab"). Search matches a key as the
/// start of the stored words, so "Handy" still finds "Handyhülle".
pub fn word_key(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    static STEMMERS: OnceLock<(Stemmer, Stemmer)> = OnceLock::new();
    let (german, english) = STEMMERS
        .get_or_init(|| (Stemmer::create(Algorithm::German), Stemmer::create(Algorithm::English)));
    let plain = without_umlaut_e(word);
    let stem = english.stem(&german.stem(&plain)).into_owned();
    if plain.starts_with(&stem) {
        return stem;
    }
    let common: usize = plain
        .chars()
        .zip(stem.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    // A stem that shares (almost) nothing with the word: the word itself.
    if plain[..common].chars().count() < 2 {
        plain
    } else {
        plain[..common].to_owned()
    }
}

/// German written without umlauts: "ae", "oe" and "ue" as "a", "o" and "u", which is
/// how [`fold`] leaves "ä", "ö" and "ü". Not in "qu" ("quelle") and not after another
/// vowel ("feuer", "mauer", "bauer"), where the "e" is a letter of its own. Applied to
/// stored and searched words alike, so it only has to be the same on both sides.
pub fn without_umlaut_e(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut before: Option<char> = None;
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        let umlaut = matches!(c, 'a' | 'o' | 'u')
            && chars.peek() == Some(&'e')
            && !matches!(before, Some('a' | 'e' | 'i' | 'o' | 'u' | 'q'));
        before = Some(c);
        if umlaut {
            chars.next();
            before = Some('e');
        }
    }
    out
}

/// Text as the search index stores it and queries compare it: its words (runs of
/// letters and digits) in lower case, without accents, separated by single spaces.
/// "Körbchen" and "korbchen" meet, as do "Straße" and "Strasse", "Æble" and "aeble",
/// and "½" reads as "1 2". Both databases index this text with their plain word
/// splitters, so the folding is done once, here, and search gives the same results on
/// SQLite and PostgreSQL.
pub fn fold(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    let mut in_word = false;
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        let spelled = spelled_out(c);
        if spelled.is_none() && !c.is_alphanumeric() {
            in_word = false;
            continue;
        }
        if !in_word && !out.is_empty() {
            out.push(' ');
        }
        in_word = true;
        match spelled {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    out
}

/// Letters that carry no separable accent, as they are written without them.
fn spelled_out(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a query for `query` finds a text holding `text` (a term matches a word
    /// of the index from its start, as both databases do).
    fn finds(query: &str, text: &str) -> bool {
        let index = index_text(text);
        let words: Vec<&str> = index.split(' ').collect();
        let terms = search_terms(query);
        !terms.is_empty() && terms.iter().all(|t| words.iter().any(|w| w.starts_with(t.as_str())))
    }

    #[test]
    fn terms_are_words_only() {
        assert_eq!(search_terms("  Fahrrad, 28\" Zoll!! "), ["fahrrad", "28", "zoll"]);
        assert_eq!(search_terms("\"a\" OR b* NEAR(c)"), ["a", "or", "b", "near", "c"]);
        assert_eq!(search_terms("Kühlschrank kuhlschrank"), ["kuhlschrank"]);
        assert_eq!(search_terms("Straße STRASSE"), ["strass"]);
        assert!(search_terms("*** \"\" ()").is_empty());
        assert_eq!(search_terms(&"w ".repeat(30)).len(), 1);
        let many: String = (0..30).map(|i| format!("w{i} ")).collect();
        assert_eq!(search_terms(&many).len(), MAX_TERMS);
    }

    #[test]
    fn folding_makes_one_spelling_of_every_word() {
        assert_eq!(fold("Körbchen für Katzen"), "korbchen fur katzen");
        assert_eq!(fold("  Große STRASSE, straße!"), "grosse strasse strasse");
        assert_eq!(fold("Crème brûlée · Ærø"), "creme brulee aero");
        assert_eq!(fold("e-Bike 28\" (2020)"), "e bike 28 2020");
        assert_eq!(fold("½ ﬁne Ｗörter"), "1 2 fine worter");
        assert_eq!(fold("Łódź Đakovo"), "lodz dakovo");
        assert_eq!(fold("Привет мир"), "привет мир");
        assert_eq!(fold("—?!"), "");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn plurals_and_inflections_find_the_word() {
        assert!(finds("Fahrräder", "Fahrrad, 28 Zoll"));
        assert!(finds("Fahrrad", "Zwei Fahrräder zu verkaufen"));
        assert!(finds("Sofas", "Sofa, grau"));
        assert!(finds("Sofa", "Zwei Sofas"));
        assert!(finds("Stühle", "Stuhl aus Holz"));
        assert!(finds("Kinderwagen", "Kinderwagen mit Zubehör"));
        assert!(finds("bikes", "Mountain bike"));
        assert!(finds("lamps", "Lamp with shade"));
        // a compound from its start, as before
        assert!(finds("Fahrrad", "Fahrradhelm, Größe M"));
    }

    #[test]
    fn german_without_umlauts_finds_the_word_with_them() {
        assert!(finds("Muenchen", "Wohnung in München"));
        assert!(finds("münchen", "Abholung Muenchen"));
        assert!(finds("koeln", "Köln Ehrenfeld"));
        assert!(finds("strasse", "Straße 5"));
        assert!(finds("Hauptstrasse", "Hauptstraße 5"));
        assert!(finds("Kuehlschrank", "Kühlschrank, A++"));
        assert!(finds("Haeuser", "Häuser"));
        assert_eq!(without_umlaut_e("muenchen"), "munchen");
        assert_eq!(without_umlaut_e("haeuser"), "hauser");
        assert_eq!(without_umlaut_e("ee"), "ee");
        // the "e" of its own stays
        assert_eq!(without_umlaut_e("feuer"), "feuer");
        assert_eq!(without_umlaut_e("mauer"), "mauer");
        assert_eq!(without_umlaut_e("quelle"), "quelle");
        assert!(!finds("Quelle", "Qualle"));
    }

    /// The limit the property test above leaves out, found by it: the stemmer cuts
    /// "-al" from the longer word, below the length of the typed one.
    #[test]
    fn known_limit_a_word_ending_inside_a_stripped_suffix() {
        assert_eq!(index_text("ößübal"), "ossub");
        assert!(!finds("ößüba", "ößübal"));
        assert!(finds("ößüb", "ößübal"));
    }

    #[test]
    fn a_key_is_the_start_of_its_word_so_compounds_still_match() {
        assert!(finds("Handy", "Handyhülle, schwarz"));
        assert!(finds("Handy", "Altes Handy"));
        assert!(finds("Handys", "Altes Handy"));
        assert!(finds("Baby", "Babybett mit Matratze"));
        assert!(finds("Teddy", "Teddybär"));
        assert!(finds("Hering", "Heringsalat"));
    }

    proptest::proptest! {
        /// Whatever is typed: no panic, and every key is the start of its folded word
        /// with the umlaut rule applied (so a query matches what it matched before
        /// stemming, and compounds from their start).
        #[test]
        fn any_text_gives_keys_that_start_their_words(text in "\\PC{0,60}") {
            let index = index_text(&text);
            let folded = fold(&text);
            for (word, key) in folded.split(' ').filter(|w| !w.is_empty()).zip(index.split(' ')) {
                let plain = without_umlaut_e(word);
                proptest::prop_assert!(plain.starts_with(key) || key == word, "{} -> {}", word, key);
            }
            let _ = search_terms(&text);
        }

        /// A word typed whole finds itself in a longer compound, unless stemming cuts
        /// the compound back into the typed word: the stored key is then shorter than
        /// the word, and prefix search cannot find it ("ossuba" in "ossubal", stored as
        /// "ossub"). Real words rarely end inside a suffix the stemmer strips from a
        /// longer one; `known_limit_a_word_ending_inside_a_stripped_suffix` pins it.
        #[test]
        fn a_word_finds_compounds_that_start_with_it(word in "[a-zäöüß]{2,12}", rest in "[a-zäöüß]{1,12}") {
            let compound = format!("{word}{rest}");
            let typed_key = search_terms(&word).concat();
            proptest::prop_assume!(index_text(&compound).chars().count() >= typed_key.chars().count());
            proptest::prop_assert!(finds(&word, &compound), "{} in {}", word, compound);
        }
    }

    #[test]
    fn parts_of_compound_titles_are_found() {
        let found = |query: &str, title: &str| {
            let stored = format!("{} {}", index_text(title), compound_parts(title));
            let stored: Vec<&str> = stored.split(' ').collect();
            search_terms(query).iter().all(|t| stored.iter().any(|w| w.starts_with(t.as_str())))
        };
        assert!(found("Helm", "Fahrradhelm, kaum getragen"));
        assert!(found("Helme", "Zwei Fahrradhelme"));
        assert!(found("Rad", "Fahrrad"));
        assert!(found("Tisch", "Schreibtischstuhl"));
        assert!(found("Stuhl", "Schreibtischstuhl"));
        assert!(found("Kabel", "Ladekabel USB-C"));
        assert!(!found("Helm", "Helikopter"));
        assert_eq!(compound_parts("Sofa iPhone14"), "", "short words and numbers have none");
        assert_eq!(compound_parts("Fahrrad"), "rrad rad");
    }

    #[test]
    fn unrelated_words_stay_apart() {
        assert!(!finds("Sofa", "Sessel"));
        assert!(!finds("Fahrrad", "Auto"));
        assert!(!finds("Helm", "Fahrrad"));
        assert!(!finds("", "Fahrrad"));
    }

    #[test]
    fn words_with_digits_are_kept_whole() {
        assert_eq!(word_key("iphone14"), "iphone14");
        assert_eq!(search_terms("iPhone 14 Pro"), ["iphon", "14", "pro"]);
        assert!(finds("iphone 14", "Apple iPhone 14, 128 GB"));
    }
}

//! Which language a message is written in, so the bot can answer in it: a visitor
//! of a German page may well write English. Only German and English, the languages
//! the bot speaks.
//!
//! The guess counts the small words every sentence has ("ich", "ein", "the", "for")
//! and words only one language has ("suche", "looking"). A word with "ä", "ö", "ü" or
//! "ß" counts for German too, but only beside such words: on its own it is likely a
//! town ("München"), which an English speaker writes the same. Words of the dialog's
//! own hints ("egal", "überall", "any", "anywhere") do not count: a visitor may copy
//! them from a question in the other language. Words both languages write the same
//! ("in", "an", "am", "was", "will", "hat", "also", "so") do not count either.

use crate::language::Language;

/// German words that are no English word.
#[rustfmt::skip]
const GERMAN: &[&str] = &[
    "ich", "du", "wir", "ihr", "sie", "es", "mir", "mich", "dir", "ein", "eine", "einen", "einem",
    "einer", "der", "die", "das", "den", "dem", "und", "oder", "nicht", "mit", "für", "von", "ist",
    "sind", "bin", "hast", "habt", "haben", "habe", "gibt", "gibts", "suche", "suchen", "gesucht",
    "brauche", "möchte", "hätte", "gern", "gerne", "bitte", "danke", "hallo", "bis", "unter",
    "höchstens", "wo", "wie", "kann", "können", "mein", "meine", "auch", "noch", "etwas", "kein",
    "keine", "zu", "im", "auf", "nach", "bei", "über", "ja", "nein", "jemand", "kaufen",
    "verkaufen", "hier", "günstig", "günstige", "günstiges", "billig", "gebraucht", "nähe", "raum",
    "zoll", "größe", "gut", "schon", "sehr",
];
/// English words that are no German word.
#[rustfmt::skip]
const ENGLISH: &[&str] = &[
    "i", "you", "we", "my", "me", "it", "a", "the", "and", "or", "not", "with", "for", "of", "is",
    "are", "looking", "look", "search", "searching", "need", "want", "have", "has", "got",
    "do", "does", "some", "under", "below", "up", "to", "at", "most", "less", "than", "near",
    "around", "please", "thanks", "hello", "can", "could", "there", "where", "what", "how",
    "anyone", "selling", "buy", "cheap", "used", "something", "anything", "yes", "euros", "size",
    "good", "this", "that",
];

/// The language `text` is most likely written in; `None` when it does not say (a
/// town, a number, "egal", or as many signs of either language).
pub fn guess_language(text: &str) -> Option<Language> {
    let lower = text.to_lowercase();
    let words = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    let (mut german, mut english, mut umlauts) = (0usize, 0usize, 0usize);
    for word in words {
        german += usize::from(GERMAN.contains(&word));
        english += usize::from(ENGLISH.contains(&word));
        umlauts += usize::from(word.contains(['ä', 'ö', 'ü', 'ß']) && !GERMAN.contains(&word));
    }
    if german + english == 0 {
        return None;
    }
    match (german + umlauts).cmp(&english) {
        std::cmp::Ordering::Greater => Some(Language::De),
        std::cmp::Ordering::Less => Some(Language::En),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_say_their_language() {
        for (text, language) in [
            ("Ich suche ein Fahrrad bis 300 Euro in Berlin", Language::De),
            ("Gibt es günstige Sofas in Köln?", Language::De),
            ("Hast du einen Schreibtisch?", Language::De),
            ("suche kinderwagen", Language::De),
            ("Kühlschrank gesucht", Language::De),
            ("bis 200 in Hamburg", Language::De),
            ("Wie lösche ich mein Konto?", Language::De),
            ("Looking for a desk under 100 euros in Hamburg", Language::En),
            ("any bikes near 10115?", Language::En),
            ("I'm looking for a sofa", Language::En),
            ("Do you have a PS5?", Language::En),
            ("up to 20 EUR", Language::En),
            ("How do I delete my account?", Language::En),
        ] {
            assert_eq!(guess_language(text), Some(language), "{text}");
        }
    }

    #[test]
    fn short_answers_say_nothing() {
        for text in [
            "Berlin",
            "50",
            "egal",
            "Egal!",
            "any",
            "anywhere",
            "überall",
            "10115",
            "München",
            "Fahrrad",
            "Sofa in Köln",
            "300 €",
            "",
            "  ?! ",
            "E-Bike",
        ] {
            assert_eq!(guess_language(text), None, "{text:?}");
        }
    }

    #[test]
    fn as_many_signs_of_both_say_nothing() {
        assert_eq!(guess_language("Fahrrad for Kinder bis 100"), None);
    }

    #[test]
    fn umlauts_count_beside_other_signs() {
        assert_eq!(guess_language("the Kühlschrank"), None);
        assert_eq!(guess_language("der Kühlschrank"), Some(Language::De));
    }
}

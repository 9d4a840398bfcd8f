//! The help bot's knowledge base and how a question finds its answer.
//!
//! A knowledge base is a list of intents, each with example phrasings and an answer
//! in German and English, plus groups of synonyms. The operator edits it as a file
//! (TOML, read by the server); it arrives here as plain data and is checked once by
//! [`Matcher::new`].
//!
//! Matching is deterministic: the same question gives the same answer. A question and
//! every example are folded to plain lower-case words ([`fold`]: no accents, `ß` is
//! `ss`), synonyms are replaced by the first word of their group (also when misspelt),
//! and filler words are dropped. A question word matches an example word when they
//! are equal, when one is the start of the other (five letters or more), or when they
//! are a typo apart (words of five letters or more; two typos from nine letters). An
//! example scores by how many of its words the question has and how many of the
//! question's words it explains (their harmonic mean); the best example above
//! [`THRESHOLD`] names the intent, ties going to the earlier intent.

use crate::language::Language;
use crate::search::fold;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The least score that counts as an answer; below it the bot falls back.
pub const THRESHOLD: f32 = 0.5;
/// Question words looked at (the rest of a long message is ignored).
pub const MAX_QUESTION_WORDS: usize = 40;
/// Limits a knowledge base is held to (it is read at start and on reload).
pub const MAX_INTENTS: usize = 1_000;
pub const MAX_EXAMPLES_PER_INTENT: usize = 100;

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized<T> {
    pub de: T,
    pub en: T,
}

impl<T> Localized<T> {
    pub fn get(&self, language: Language) -> &T {
        match language {
            Language::De => &self.de,
            Language::En => &self.en,
        }
    }
}

/// What an intent does besides answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Start the "find a listing" dialog.
    FindListing,
}

/// One thing visitors ask about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    /// A stable name (`opening-hours`), used by quick replies and statistics of
    /// improvement, never shown.
    pub id: String,
    /// The quick-reply button's label for this intent.
    pub title: Localized<String>,
    pub examples: Localized<Vec<String>>,
    pub answer: Localized<String>,
    /// Intents offered as buttons after the answer.
    #[serde(default)]
    pub quick_replies: Vec<String>,
    #[serde(default)]
    pub action: Option<Action>,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeBase {
    /// The answer when nothing matches, with [`KnowledgeBase::suggestions`] as buttons.
    pub fallback: Localized<String>,
    /// The greeting when a chat starts.
    pub greeting: Localized<String>,
    /// Intents offered when nothing matched and at the start.
    pub suggestions: Vec<String>,
    /// Words that mean the same; each group's first word stands for all of them.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    pub intents: Vec<Intent>,
}

/// Why a knowledge base cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KnowledgeError {
    #[error("no intents")]
    Empty,
    #[error("more than {MAX_INTENTS} intents")]
    TooManyIntents,
    #[error("intent {0:?} is there twice")]
    DuplicateIntent(String),
    #[error("intent {0:?}: no example in {1}")]
    NoExamples(String, &'static str),
    #[error("intent {0:?}: more than {MAX_EXAMPLES_PER_INTENT} examples")]
    TooManyExamples(String),
    #[error("intent {0:?}: an empty answer")]
    EmptyAnswer(String),
    #[error("{0:?} names intent {1:?}, which does not exist")]
    UnknownIntent(String, String),
}

/// A knowledge base made ready for answering.
#[derive(Debug, Clone)]
pub struct Matcher {
    kb: KnowledgeBase,
    /// Every word of a synonym group (the first one too) → the group's first word,
    /// in a fixed order so that a misspelt word always finds the same group.
    synonyms: BTreeMap<String, String>,
    /// Per intent, its examples (both languages) as word lists.
    examples: Vec<Vec<Vec<String>>>,
}

/// The intent a question found, and how well.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    pub intent: usize,
    pub score: f32,
}

/// Words that carry no meaning for matching (either language).
const FILLER: &[&str] = &[
    "a", "an", "the", "i", "im", "you", "we", "it", "is", "are", "am", "be", "was", "do", "does",
    "can", "could", "how", "what", "to", "of", "my", "me", "in", "on", "for", "and", "or",
    "please", "this", "that", "there", "think", "with", "about", "ich", "du", "wir", "es", "ist",
    "sind", "der", "die", "das", "den", "dem", "ein", "eine", "einen", "kann", "man", "wie", "was",
    "zu", "von", "mein", "meine", "mir", "mich", "im", "auf", "fur", "und", "oder", "bitte", "mit",
    "dies", "diese", "dieser", "hier", "glaube", "denke",
];

impl Matcher {
    /// Checks the knowledge base and prepares it.
    pub fn new(kb: KnowledgeBase) -> Result<Matcher, KnowledgeError> {
        if kb.intents.is_empty() {
            return Err(KnowledgeError::Empty);
        }
        if kb.intents.len() > MAX_INTENTS {
            return Err(KnowledgeError::TooManyIntents);
        }
        let mut ids = HashSet::new();
        for intent in &kb.intents {
            if !ids.insert(intent.id.as_str()) {
                return Err(KnowledgeError::DuplicateIntent(intent.id.clone()));
            }
            for examples in [&intent.examples.de, &intent.examples.en] {
                if examples.len() > MAX_EXAMPLES_PER_INTENT {
                    return Err(KnowledgeError::TooManyExamples(intent.id.clone()));
                }
            }
            if intent.answer.de.trim().is_empty() || intent.answer.en.trim().is_empty() {
                return Err(KnowledgeError::EmptyAnswer(intent.id.clone()));
            }
        }
        let named = kb
            .intents
            .iter()
            .flat_map(|i| i.quick_replies.iter().map(move |q| (i.id.as_str(), q)))
            .chain(kb.suggestions.iter().map(|s| ("suggestions", s)));
        for (by, id) in named {
            if !ids.contains(id.as_str()) {
                return Err(KnowledgeError::UnknownIntent(by.to_owned(), id.clone()));
            }
        }
        let mut synonyms = BTreeMap::new();
        for group in &kb.synonyms {
            let words: Vec<String> =
                group.iter().map(|w| fold(w)).filter(|w| !w.is_empty()).collect();
            if let Some(first) = words.first() {
                for w in &words {
                    synonyms.entry(w.clone()).or_insert_with(|| first.clone());
                }
            }
        }
        let mut matcher = Matcher { kb, synonyms, examples: Vec::new() };
        // Every intent needs an example in each language with a word that counts.
        for intent in &matcher.kb.intents {
            for (language, examples) in [("de", &intent.examples.de), ("en", &intent.examples.en)] {
                if examples.iter().all(|e| matcher.words(e, usize::MAX).is_empty()) {
                    return Err(KnowledgeError::NoExamples(intent.id.clone(), language));
                }
            }
        }
        matcher.examples = matcher
            .kb
            .intents
            .iter()
            .map(|i| {
                i.examples
                    .de
                    .iter()
                    .chain(&i.examples.en)
                    .map(|e| matcher.words(e, usize::MAX))
                    .filter(|w| !w.is_empty())
                    .collect()
            })
            .collect();
        Ok(matcher)
    }

    pub fn knowledge(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// The intent with this id.
    pub fn intent(&self, id: &str) -> Option<(usize, &Intent)> {
        self.kb.intents.iter().enumerate().find(|(_, i)| i.id == id)
    }

    /// The intent that best answers `question`, if any scores at least [`THRESHOLD`].
    pub fn find(&self, question: &str) -> Option<Found> {
        let asked = self.words(question, MAX_QUESTION_WORDS);
        if asked.is_empty() {
            return None;
        }
        let mut best: Option<Found> = None;
        for (intent, examples) in self.examples.iter().enumerate() {
            for example in examples {
                let score = score(&asked, example);
                if score >= THRESHOLD && best.is_none_or(|b| score > b.score) {
                    best = Some(Found { intent, score });
                }
            }
        }
        best
    }

    /// The meaningful words of a text, folded, synonyms replaced, at most `max`.
    fn words(&self, text: &str, max: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for w in fold(text).split_whitespace().take(max.saturating_mul(2)) {
            if FILLER.contains(&w) {
                continue;
            }
            let w = match self.synonyms.get(w) {
                Some(canonical) => canonical.clone(),
                None => self
                    .synonyms
                    .iter()
                    .find(|(known, _)| same_word(w, known))
                    .map_or_else(|| w.to_owned(), |(_, canonical)| canonical.clone()),
            };
            if !out.contains(&w) {
                out.push(w);
            }
            if out.len() == max {
                break;
            }
        }
        out
    }
}

/// How well the question's words and an example's words fit (0–1).
fn score(asked: &[String], example: &[String]) -> f32 {
    let covered = example.iter().filter(|e| asked.iter().any(|a| same_word(a, e))).count();
    let explained = asked.iter().filter(|a| example.iter().any(|e| same_word(a, e))).count();
    if covered == 0 || explained == 0 {
        return 0.0;
    }
    let recall = covered as f32 / example.len() as f32;
    let precision = explained as f32 / asked.len() as f32;
    2.0 * recall * precision / (recall + precision)
}

/// Equal, one the start of the other (five letters or more), or a typo or two apart.
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() >= 5 && long.starts_with(short) {
        return true;
    }
    // Short words must be spelt right: one letter turns "post" into "cost".
    let allowed = match short.chars().count() {
        0..=4 => return false,
        5..=8 => 1,
        _ => 2,
    };
    typos(a, b, allowed)
}

/// Whether `a` becomes `b` with at most `max` single-letter insertions, deletions,
/// substitutions or swaps of neighbours (optimal string alignment distance).
fn typos(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max || a.len() > 40 || b.len() > 40 {
        return false;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(de: &str, en: &str) -> Localized<String> {
        Localized { de: de.into(), en: en.into() }
    }

    fn intent(id: &str, de: &[&str], en: &[&str]) -> Intent {
        Intent {
            id: id.into(),
            title: l(id, id),
            examples: Localized {
                de: de.iter().map(|s| s.to_string()).collect(),
                en: en.iter().map(|s| s.to_string()).collect(),
            },
            answer: l(&format!("Antwort {id}"), &format!("Answer {id}")),
            quick_replies: vec![],
            action: None,
        }
    }

    fn kb() -> KnowledgeBase {
        KnowledgeBase {
            fallback: l("Das weiß ich nicht.", "I don't know."),
            greeting: l("Hallo!", "Hello!"),
            suggestions: vec!["post".into()],
            synonyms: vec![vec![
                "anzeige".into(),
                "inserat".into(),
                "annonce".into(),
                "ad".into(),
                "listing".into(),
            ]],
            intents: vec![
                intent(
                    "post",
                    &["Wie erstelle ich eine Anzeige?", "Anzeige aufgeben"],
                    &["How do I post a listing?", "create an ad"],
                ),
                intent(
                    "delete-account",
                    &["Konto löschen", "Wie lösche ich mein Konto?"],
                    &["delete my account", "close account"],
                ),
                intent(
                    "safety",
                    &["Ist Vorkasse sicher?", "Betrug erkennen"],
                    &["Is paying in advance safe?", "spot a scam"],
                ),
            ],
        }
    }

    fn found<'m>(m: &'m Matcher, q: &str) -> Option<&'m str> {
        m.find(q).map(|f| m.knowledge().intents[f.intent].id.as_str())
    }

    #[test]
    fn questions_find_their_intent_in_both_languages() {
        let m = Matcher::new(kb()).unwrap();
        assert_eq!(found(&m, "Wie kann ich eine Anzeige erstellen?"), Some("post"));
        assert_eq!(found(&m, "how to post a listing"), Some("post"));
        assert_eq!(found(&m, "Mein Konto löschen bitte"), Some("delete-account"));
        assert_eq!(found(&m, "How can I delete my account?"), Some("delete-account"));
        assert_eq!(found(&m, "Is it safe to pay in advance?"), Some("safety"));
    }

    #[test]
    fn spelling_synonyms_and_typos_are_forgiven() {
        let m = Matcher::new(kb()).unwrap();
        assert_eq!(
            found(&m, "KONTO LOESCHEN"),
            Some("delete-account"),
            "oe for ö: one letter more"
        );
        assert_eq!(found(&m, "KONTO LÖSCHEN"), Some("delete-account"));
        assert_eq!(found(&m, "Inserat aufgeben"), Some("post"), "a synonym");
        assert_eq!(found(&m, "Konto lsöchen"), Some("delete-account"), "two letters swapped");
        assert_eq!(found(&m, "delete my acount"), Some("delete-account"), "a letter missing");
        assert_eq!(found(&m, "Betrugs erkennen"), Some("safety"), "a longer form");
    }

    #[test]
    fn unrelated_questions_fall_back() {
        let m = Matcher::new(kb()).unwrap();
        assert_eq!(found(&m, "Wie wird das Wetter morgen?"), None);
        assert_eq!(found(&m, ""), None);
        assert_eq!(found(&m, "?!"), None);
        assert_eq!(
            found(&m, &"Konto ".repeat(10_000)),
            Some("delete-account"),
            "long input is cut"
        );
    }

    #[test]
    fn the_same_question_gets_the_same_answer() {
        let m = Matcher::new(kb()).unwrap();
        let first = m.find("anzeige löschen");
        for _ in 0..10 {
            assert_eq!(m.find("anzeige löschen"), first);
        }
    }

    #[test]
    fn broken_knowledge_bases_are_refused_with_a_reason() {
        let mut k = kb();
        k.intents.push(intent("post", &["x"], &["y"]));
        assert_eq!(Matcher::new(k).unwrap_err(), KnowledgeError::DuplicateIntent("post".into()));
        let mut k = kb();
        k.suggestions.push("nope".into());
        assert_eq!(
            Matcher::new(k).unwrap_err(),
            KnowledgeError::UnknownIntent("suggestions".into(), "nope".into())
        );
        let mut k = kb();
        k.intents[0].examples.en.clear();
        assert_eq!(Matcher::new(k).unwrap_err(), KnowledgeError::NoExamples("post".into(), "en"));
        let mut k = kb();
        k.intents[1].examples.de = vec!["Wie kann ich?".into()];
        assert_eq!(
            Matcher::new(k).unwrap_err(),
            KnowledgeError::NoExamples("delete-account".into(), "de"),
            "only filler words"
        );
        let mut k = kb();
        k.intents.clear();
        assert_eq!(Matcher::new(k).unwrap_err(), KnowledgeError::Empty);
    }

    #[test]
    fn typo_distance() {
        assert!(typos("konto", "knoto", 1));
        assert!(typos("account", "acount", 1));
        assert!(!typos("konto", "kante", 1));
        assert!(typos("anzeige", "anzeige", 0));
        assert!(!same_word("ad", "an"), "short words must be equal");
    }
}

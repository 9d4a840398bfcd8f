//! How one message of the "find a listing" dialog splits into its answers. People
//! write whole sentences ("Ich suche ein Fahrrad bis 300 Euro in Berlin"), so a
//! message is read for every part it gives, whichever question was asked:
//!
//! - a price is a number with a currency ("300 €", "20 EUR", "€5"), or after a word
//!   that makes it a limit ("bis", "unter", "max.", "höchstens", "under", "up to",
//!   "less than"); after a vaguer word ("für", "um", "for", "around") only where
//!   nothing follows it but the end of a clause or a place ("ein Rad für 50", but not
//!   "Kinderwagen für 2 Kinder");
//! - a place follows a word that says where ("in", "im Raum", "in der Nähe von",
//!   "PLZ", "near", "around"): a postal code (or its first digits) or up to four words
//!   of a town's name ("Frankfurt am Main");
//! - "egal wo", "überall", "anywhere" and "Preis egal", "any price" say "any".
//!
//! What is left is the answer to the question asked. The dialog takes it as it
//! stands for a price or a place (they are checked as the search page checks them);
//! for the item it keeps only the words worth searching for: [`FILLER`] goes. Nothing
//! here knows towns, so a town without a word before it ("Fahrrad Berlin") stays part
//! of the item.
//!
//! All matching is on [`fold`]ed words, so case, accents and "ß" do not count.

use crate::search::fold;
use words::{
    ANY, FILLER, NOT_IN_TOWN, NOT_PLACE, PLACE_ANY, PLACE_CUES, PLACE_TAILS, PRICE_ANY, PRICE_CUES,
    REQUEST, TALK, TOWN_LINKS, VAGUE_CUES, VAGUE_STEMS,
};

#[rustfmt::skip]
mod words;

/// Words after the first this many are not read (a message longer than that is no
/// answer to the dialog's questions, and the work stays small for any input).
const MAX_TOKENS: usize = 60;
/// A town's name is at most this many words ("Halle an der Saale").
const MAX_PLACE_WORDS: usize = 4;

/// A price or place a message gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Given {
    /// "egal", "anywhere": no limit.
    Any,
    /// As typed, not yet checked: "12,50", "Berlin", "10115".
    Value(String),
}

/// What one message says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parts {
    /// A price the message names itself (the last one, if several: later words
    /// correct earlier ones).
    pub price: Option<Given>,
    /// A place the message names itself (the last one, if several).
    pub place: Option<Given>,
    /// The rest, without [`TALK`] ("ok", "bitte"): the answer to the question asked,
    /// when that is the price or the place.
    pub answer: String,
    /// The rest, without [`FILLER`]: the item, when that is the question.
    pub item: String,
    /// Whether the rest is only "egal", "any" and the like.
    pub any: bool,
    /// Whether the message asks for something ("ich suche", "do you have"), which
    /// tells a search request from other questions.
    pub request: bool,
}

/// One word as typed, with what the dialog needs to know about it.
#[derive(Debug, Clone)]
struct Token {
    /// As typed, without the punctuation around it: "E-Bike", "12,50", "Köln".
    raw: String,
    /// As typed, without the punctuation that ends a clause or quotes, so a place
    /// keeps its own ("St. Ingbert", "Halle (Saale)"): the place filter compares
    /// the start of the town's name as the listing has it.
    typed: String,
    /// [`fold`]ed: "e bike", "12 50", "koln".
    key: String,
    /// A number as typed, without a currency sign: "12,50", "1.500", "10115".
    amount: Option<String>,
    /// Says euro: "€", "EUR", "Euro", or a number written with one ("300€").
    euro: bool,
    /// A clause ends after it (",", ";", ":", "!" or "?").
    end: bool,
}

impl Token {
    fn is(&self, words: &[&str]) -> bool {
        words.contains(&self.key.as_str())
    }

    /// Only digits, as a postal code is written.
    fn digits(&self) -> Option<&str> {
        self.amount.as_deref().filter(|a| a.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// Splits a message into its parts. Never fails: what it cannot place is rest.
pub(crate) fn read(input: &str) -> Parts {
    let tokens = tokens(input);
    let mut used = vec![false; tokens.len()];
    let mut parts = Parts::default();
    if let Some(price) = prices(&tokens, &mut used) {
        parts.price = Some(Given::Value(price));
    }
    if let Some(place) = places(&tokens, &mut used) {
        parts.place = Some(Given::Value(place));
    }
    for (phrases, slot) in [(PRICE_ANY, &mut parts.price), (PLACE_ANY, &mut parts.place)] {
        let mut i = 0;
        while i < tokens.len() {
            match phrase_at(&tokens, &used, i, phrases) {
                Some(len) => {
                    used[i..i + len].iter_mut().for_each(|u| *u = true);
                    slot.get_or_insert(Given::Any);
                    i += len;
                }
                None => i += 1,
            }
        }
    }
    let rest: Vec<&Token> =
        tokens.iter().zip(&used).filter(|(_, u)| !**u).map(|(t, _)| t).collect();
    let unused = vec![false; tokens.len()];
    parts.request = (0..tokens.len()).any(|i| phrase_at(&tokens, &unused, i, REQUEST).is_some());
    let mut answer: Vec<&Token> = rest.iter().filter(|t| !t.is(TALK)).copied().collect();
    while let Some(tail) = PLACE_TAILS.iter().find_map(|tail| {
        let keys: Vec<&str> = answer.iter().map(|t| t.key.as_str()).collect();
        let len = tail.split(' ').count();
        (keys.len() > len && keys[keys.len() - len..].join(" ") == *tail).then_some(len)
    }) {
        answer.truncate(answer.len() - tail);
    }
    parts.answer = typed(answer.into_iter());
    parts.item = words(rest.iter().filter(|t| !t.key.is_empty() && !is_filler(&t.key)).copied());
    let meaning: Vec<&str> = rest
        .iter()
        .filter(|t| !t.key.is_empty() && (!is_filler(&t.key) || t.is(ANY)))
        .map(|t| t.key.as_str())
        .collect();
    parts.any = ANY.contains(&meaning.join(" ").as_str());
    parts
}

/// The words as typed (for a price or a place).
fn typed<'a>(tokens: impl Iterator<Item = &'a Token>) -> String {
    tokens.map(|t| t.typed.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The words without the punctuation around them (for an item: search reads
/// words only).
fn words<'a>(tokens: impl Iterator<Item = &'a Token>) -> String {
    tokens.map(|t| t.raw.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Quotation marks (and the Spanish opening marks), which say nothing about a word.
const QUOTES: &[char] = &['"', '\'', '«', '»', '“', '”', '„', '‘', '’', '‹', '›', '¿', '¡'];

/// A piece of a message without quotes around it, the punctuation that ends a
/// clause, a full stop after a word (not after an abbreviation: "St.", "v.d.") and
/// brackets that do not close ("(Berlin" from "(Berlin, Hamburg)").
fn without_clause_marks(piece: &str) -> &str {
    let mut s = piece.trim_matches(|c: char| QUOTES.contains(&c) || ",;:!?".contains(c));
    if let Some(word) = s.strip_suffix('.') {
        if word.chars().count() > 3 && !word.contains('.') {
            s = word;
        }
    }
    if !s.contains(')') {
        s = s.strip_prefix('(').unwrap_or(s);
    }
    if !s.contains('(') {
        s = s.strip_suffix(')').unwrap_or(s);
    }
    s
}

/// The message's words. Punctuation around a word goes (it only marks where a
/// clause ends); inside a word it stays ("E-Bike", "12,50", "Berlin-Mitte").
fn tokens(input: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for piece in input.split_whitespace().take(MAX_TOKENS) {
        let end = piece
            .trim_end_matches(|c: char| QUOTES.contains(&c) || c == ')')
            .ends_with([',', ';', ':', '!', '?']);
        let trimmed = piece.trim_matches(|c: char| !(c.is_alphanumeric() || c == '€'));
        let mut euro = trimmed.starts_with('€') || trimmed.ends_with('€');
        let mut word = trimmed.trim_matches('€').trim_matches(|c: char| !c.is_alphanumeric());
        let lower = word.to_lowercase();
        for sign in ["euros", "euro", "eur"] {
            let number = lower.strip_suffix(sign).filter(|n| is_amount(n));
            if let Some(number) = number {
                // All ASCII, so the number is as long in `word` as in `lower`.
                word = word.get(..number.len()).unwrap_or(word);
                euro = true;
                break;
            }
        }
        let word = word.trim_end_matches([',', '.']);
        let key = fold(word);
        if key.is_empty() && !euro {
            if let Some(last) = out.last_mut() {
                last.end |= end;
            }
            continue;
        }
        let amount = is_amount(word).then(|| word.to_owned());
        euro |= amount.is_none() && matches!(key.as_str(), "euro" | "euros" | "eur");
        let typed = without_clause_marks(piece).to_owned();
        out.push(Token { raw: word.to_owned(), typed, key, amount, euro, end });
    }
    out
}

/// Digits with "." or "," between them, as prices and postal codes are written.
fn is_amount(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// The longest of `phrases` that starts at token `i`, in tokens.
fn phrase_at(tokens: &[Token], used: &[bool], i: usize, phrases: &[&str]) -> Option<usize> {
    let mut joined = String::new();
    let mut best = None;
    for (len, token) in tokens.iter().skip(i).take(6).enumerate() {
        if used[i + len] || token.key.is_empty() {
            break;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(&token.key);
        if phrases.contains(&joined.as_str()) {
            best = Some(len + 1);
        }
    }
    best
}

/// Finds the prices ([module docs](self)), marks their words used, returns the last.
fn prices(tokens: &[Token], used: &mut [bool]) -> Option<String> {
    let mut found = None;
    for i in 0..tokens.len() {
        let Some(amount) = &tokens[i].amount else { continue };
        let euro_after = tokens.get(i + 1).is_some_and(|t| t.euro && t.amount.is_none());
        let euro_before =
            i > 0 && !used[i - 1] && tokens[i - 1].euro && tokens[i - 1].key.is_empty();
        let euro = tokens[i].euro || euro_after || euro_before;
        let before = i - usize::from(euro_before);
        // "von 100 bis 300", "between 100 and 300": the range's top is the limit.
        let range = range_before(tokens, used, before);
        let cue = phrase_before(tokens, used, before, PRICE_CUES);
        let start = range.or(cue.map(|len| before - len)).unwrap_or(before);
        let vague = range.is_none()
            && cue.is_some_and(|len| {
                let cue: Vec<&str> =
                    tokens[before - len..before].iter().map(|t| t.key.as_str()).collect();
                VAGUE_CUES.contains(&cue.join(" ").as_str())
            });
        let limit = range.is_some() || (cue.is_some() && !vague);
        let next = tokens.get(i + 1).filter(|_| !tokens[i].end && !euro_after);
        // "für 2 Kinder", "bis 4 Jahre": a number that counts something is no price.
        let counts =
            next.is_some_and(|t| !t.euro && !is_stop(t) && !is_place_cue(tokens, used, i + 1));
        // "für 10115" without a currency is a postal code or a model number.
        let postal = tokens[i].digits().is_some_and(|d| d.len() == 5);
        if euro
            || (limit && !counts)
            || (vague && next.is_none_or(|_| is_place_cue(tokens, used, i + 1)) && !postal)
        {
            let end = if euro_after { i + 1 } else { i };
            used[start..=end].iter_mut().for_each(|u| *u = true);
            found = Some(amount.clone());
        }
    }
    found
}

/// Whether a word that says where starts at token `i`.
fn is_place_cue(tokens: &[Token], used: &[bool], i: usize) -> bool {
    phrase_at(tokens, used, i, PLACE_CUES).is_some()
}

/// The longest of `phrases` that ends just before token `i`, in tokens.
fn phrase_before(tokens: &[Token], used: &[bool], i: usize, phrases: &[&str]) -> Option<usize> {
    (1..=i.min(5)).rev().find(|&len| {
        let words = &tokens[i - len..i];
        let free = used[i - len..i].iter().all(|u| !u) && words.iter().all(|t| !t.key.is_empty());
        let joined: Vec<&str> = words.iter().map(|t| t.key.as_str()).collect();
        free && phrases.contains(&joined.join(" ").as_str())
    })
}

/// Where a range ends just before token `i` ("von 100 bis", "between 100 and"): its
/// first token. Only with the word that opens it: in "iPhone 13 bis 400" the 13 is
/// part of the item.
fn range_before(tokens: &[Token], used: &[bool], i: usize) -> Option<usize> {
    let free = |k: usize| !used[k];
    let link =
        i.checked_sub(1).filter(|&k| free(k) && tokens[k].is(&["bis", "to", "und", "and"]))?;
    let low = link.checked_sub(1).filter(|&k| free(k) && tokens[k].amount.is_some())?;
    low.checked_sub(1)
        .filter(|&k| free(k) && tokens[k].is(&["von", "ab", "zwischen", "from", "between"]))
}

/// Finds the places ([module docs](self)), marks their words used, returns the last.
fn places(tokens: &[Token], used: &mut [bool]) -> Option<String> {
    let mut found = None;
    let mut i = 0;
    while i < tokens.len() {
        let Some(cue) = phrase_at(tokens, used, i, PLACE_CUES) else {
            i += 1;
            continue;
        };
        match place_at(tokens, used, i + cue) {
            Some((place, end)) => {
                used[i..end].iter_mut().for_each(|u| *u = true);
                found = Some(place);
                i = end;
            }
            None => i += cue,
        }
    }
    found
}

/// The place that starts at token `i` (after a word that says where), and the token
/// after it.
fn place_at(tokens: &[Token], used: &[bool], i: usize) -> Option<(String, usize)> {
    let first = tokens.get(i).filter(|_| !used[i])?;
    let free = |k: usize| k < tokens.len() && !used[k];
    if let Some(digits) = first.digits() {
        if first.euro {
            return None;
        }
        if digits.len() == 5 {
            // A whole postal code; the town after it ("10115 Berlin") adds nothing.
            let town = town_at(tokens, used, i + 1).map_or(0, |t| t.len());
            return Some((digits.to_owned(), i + 1 + town));
        }
        // "in 101" is a postal area, "in 28 Zoll" is not.
        let next_is_word = free(i + 1) && !is_stop(&tokens[i + 1]);
        return (first.end || !next_is_word).then(|| (digits.to_owned(), i + 1));
    }
    if first.is(NOT_PLACE) {
        return None;
    }
    let town = town_at(tokens, used, i)?;
    Some((typed(town.iter().copied()), i + town.len()))
}

/// Up to [`MAX_PLACE_WORDS`] words of a town's name from token `i`; a small word
/// inside ("am", "an der", "im") only before a capitalised one, so "Frankfurt am
/// Main" is one town and "Berlin im Angebot" is not.
fn town_at<'a>(tokens: &'a [Token], used: &[bool], i: usize) -> Option<Vec<&'a Token>> {
    let mut words: Vec<&Token> = Vec::new();
    let mut k = i;
    while k < tokens.len() && !used[k] && words.len() < MAX_PLACE_WORDS {
        let token = &tokens[k];
        if token.amount.is_some() || token.euro || words.last().is_some_and(|w| w.end) {
            break;
        }
        if token.is(TOWN_LINKS) && !words.is_empty() {
            let link_end = (k..tokens.len()).find(|&j| !tokens[j].is(TOWN_LINKS));
            let capital = link_end.filter(|&j| !used[j]).map(|j| &tokens[j]).is_some_and(|t| {
                t.raw.starts_with(char::is_uppercase) && !is_stop(t) && t.amount.is_none()
            });
            if !capital {
                break;
            }
        } else if is_stop(token) {
            break;
        }
        words.push(token);
        k += 1;
    }
    while words.last().is_some_and(|w| w.is(TOWN_LINKS)) {
        words.pop();
    }
    (!words.is_empty()).then_some(words)
}

/// A word that cannot be (the first word of) a town's name.
fn is_stop(token: &Token) -> bool {
    token.key.is_empty() || token.amount.is_some() || is_filler(&token.key) || token.is(NOT_IN_TOWN)
}

/// Whether a folded word carries nothing to search for: [`FILLER`], [`TALK`] and the
/// vague adjectives of [`VAGUE_STEMS`] in all their endings.
fn is_filler(key: &str) -> bool {
    FILLER.contains(&key)
        || TALK.contains(&key)
        || VAGUE_STEMS.iter().any(|stem| {
            key.strip_prefix(stem)
                .is_some_and(|end| ["", "e", "en", "er", "es", "em"].contains(&end))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(given: &Option<Given>) -> Option<&str> {
        match given {
            Some(Given::Value(v)) => Some(v),
            Some(Given::Any) => Some(""),
            None => None,
        }
    }

    #[test]
    fn words_keep_their_inner_punctuation_only() {
        let t = tokens("«E-Bike», 12,50€ (Berlin-Mitte)? max. 300,- EUR €5");
        let raw: Vec<&str> = t.iter().map(|t| t.raw.as_str()).collect();
        assert_eq!(raw, ["E-Bike", "12,50", "Berlin-Mitte", "max", "300", "EUR", "5"]);
        assert!(t[0].end && t[2].end && !t[3].end);
        assert_eq!(t[1].amount.as_deref(), Some("12,50"));
        assert!(t[1].euro && t[5].euro && t[6].euro && !t[4].euro);
    }

    #[test]
    fn a_lone_question_mark_ends_the_word_before() {
        let t = tokens("Sofa in Köln ? bis 50");
        assert!(t[2].end);
        assert_eq!(t.len(), 5);
    }

    #[test]
    fn numbers_with_currency_letters_are_amounts() {
        let t = tokens("300EUR 20euro 5Euros");
        let amounts: Vec<_> = t.iter().map(|t| (t.amount.as_deref(), t.euro)).collect();
        assert_eq!(amounts, [(Some("300"), true), (Some("20"), true), (Some("5"), true)]);
    }

    #[test]
    fn vague_adjectives_are_filler_in_every_ending() {
        for w in ["gunstig", "gunstige", "gunstigen", "gebrauchtes", "cheap", "used"] {
            assert!(is_filler(w), "{w}");
        }
        for w in ["gunstigkeit", "fahrrad", "usedom", "neu"] {
            assert!(!is_filler(w), "{w}");
        }
    }

    #[test]
    fn a_vague_price_word_needs_the_clause_to_end() {
        assert_eq!(value(&read("Rad für 50").price), Some("50"));
        assert_eq!(value(&read("Rad für 50 in Bonn").price), Some("50"));
        assert_eq!(read("Kinderwagen für 2 Kinder").price, None);
        assert_eq!(read("around 10115").price, None);
        assert_eq!(value(&read("around 10115").place), Some("10115"));
    }

    #[test]
    fn a_number_after_in_is_a_place_only_without_a_unit() {
        assert_eq!(value(&read("Fahrrad in 28 Zoll").place), None);
        assert_eq!(value(&read("Fahrrad in 101").place), Some("101"));
        assert_eq!(value(&read("Sofa in 10115 Berlin").place), Some("10115"));
        assert_eq!(read("Sofa in 10115 Berlin").item, "Sofa");
    }

    #[test]
    fn town_names_keep_their_small_words_before_a_capital() {
        assert_eq!(value(&read("Sofa in Frankfurt am Main").place), Some("Frankfurt am Main"));
        assert_eq!(value(&read("sofa in frankfurt am main").place), Some("frankfurt"));
        assert_eq!(value(&read("Sofa in Halle an der Saale").place), Some("Halle an der Saale"));
        assert_eq!(value(&read("Sofa in Berlin im Angebot").place), Some("Berlin"));
        assert_eq!(value(&read("Sofa in Berlin, bitte").place), Some("Berlin"));
    }

    #[test]
    fn where_words_without_a_place_are_filler() {
        let p = read("Suche einen Tisch in meiner Nähe");
        assert_eq!((p.place, p.item.as_str()), (None, "Tisch"));
        let p = read("need a lamp near me");
        assert_eq!((p.place, p.item.as_str()), (None, "lamp"));
    }

    #[test]
    fn the_rest_is_the_answer_to_the_question_asked() {
        let p = read("ok, 50 bitte");
        assert_eq!((p.price, p.answer.as_str()), (None, "50"));
        assert!(read("ist mir egal").any);
        assert!(read("ANY").any);
        assert!(!read("any bikes").any);
    }

    #[test]
    fn requests_are_told_from_other_questions() {
        assert!(read("Ich suche ein Sofa").request);
        assert!(read("Do you have bikes?").request);
        assert!(!read("Wie lösche ich mein Konto?").request);
    }
}

//! The "find a listing" dialog: what, the most it may cost, where. Its answers so far
//! live in the client and travel with each message; the server passes them on and
//! acts only when all three are there (a search with up to five results).
//!
//! The state comes from the client, so it is never trusted: every step checks the
//! whole state again ([`FindListing::check`]), and the finished search is the same
//! [`Search`] the search page validates.

use super::phrases::{self, Given};
use crate::search::{fold, search_terms, Search, SearchParams, MAX_QUERY_LEN};
use crate::validation::{Field, Invalid};
use serde::{Deserialize, Serialize};

/// The answers so far. `Some("")` is "any" (no price limit, anywhere).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindListing {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// What the dialog asks next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    What,
    MaxPrice,
    Place,
    /// Everything is there: search.
    Complete,
}

/// Where the dialog goes after an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Ask the next question, with the answers so far.
    Ask(Step, FindListing),
    /// The answer did not fit the question: ask again, saying why.
    Again(Step, FindListing, Invalid),
    /// All answers are in: this search.
    Search(FindListing),
    /// The visitor stopped the dialog.
    Cancelled,
}

/// Words that stop the dialog (either language).
const CANCEL: &[&str] = &["abbrechen", "abbruch", "stopp", "stop", "cancel", "quit", "exit"];
/// Words around a price that say nothing more ("bis 50 Euro", "under 50").
const PRICE_WORDS: &[&str] = &[
    "hoechstens",
    "hochstens",
    "maximal",
    "max",
    "bis",
    "unter",
    "up",
    "to",
    "under",
    "below",
    "at",
    "most",
    "euro",
    "euros",
    "eur",
];

impl FindListing {
    /// The question the dialog is at.
    pub fn step(&self) -> Step {
        match (&self.what, &self.max_price, &self.place) {
            (None, _, _) => Step::What,
            (_, None, _) => Step::MaxPrice,
            (_, _, None) => Step::Place,
            _ => Step::Complete,
        }
    }

    /// Takes the visitor's answer to the current question, and every other answer
    /// the message gives with it: "Fahrrad bis 300 Euro in Berlin" at the first
    /// question fills all three, "bis 200 in Hamburg" at the price fills price and
    /// place (the module `bot::phrases` says how a message is read). A price or a
    /// place the message names replaces an earlier answer (the visitor corrects it).
    ///
    /// A part that does not fit is asked again only when it is the next question
    /// anyway; otherwise it is left out, and its question comes in its turn. So the
    /// step of [`Next::Again`] is always the returned state's own step.
    pub fn answer(mut self, input: &str) -> Next {
        let folded = fold(input);
        let words = folded.split_whitespace().collect::<Vec<_>>().join(" ");
        if CANCEL.contains(&words.as_str()) {
            return Next::Cancelled;
        }
        if self.check().is_err() {
            // A state no step of ours makes: start again.
            return Next::Again(Step::What, FindListing::default(), Invalid::Empty);
        }
        let step = self.step();
        if step == Step::Complete {
            return Next::Search(self);
        }
        let parts = phrases::read(input);
        let mut took = false;
        let mut problems = Vec::new();
        for (of, given, check) in
            [(Step::MaxPrice, &parts.price, max_price as Check), (Step::Place, &parts.place, place)]
        {
            let value = match given {
                None => continue,
                Some(Given::Any) => Ok(String::new()),
                Some(Given::Value(v)) => check(v),
            };
            match value {
                Ok(value) => {
                    *self.slot(of) = Some(value);
                    took = true;
                }
                Err(problem) => problems.push((of, problem)),
            }
        }
        // The rest answers the question asked, unless the message named that answer
        // itself, or named others and has nothing left for this one.
        let named_here = match step {
            Step::MaxPrice => parts.price.is_some(),
            Step::Place => parts.place.is_some(),
            _ => false,
        };
        let (rest, nothing_left) = match step {
            Step::What => (what(&parts.item), parts.item.is_empty()),
            _ if parts.any => (Ok(String::new()), false),
            Step::MaxPrice => (max_price(&parts.answer), parts.answer.is_empty()),
            _ => (place(&parts.answer), parts.answer.is_empty()),
        };
        if !named_here {
            match rest {
                Ok(value) => {
                    *self.slot(step) = Some(value);
                    took = true;
                }
                Err(_) if took && nothing_left => {}
                Err(problem) => problems.push((step, problem)),
            }
        }
        let next = self.step();
        if next == Step::Complete {
            return Next::Search(self);
        }
        match problems.into_iter().find(|(of, _)| *of == next) {
            Some((_, problem)) => Next::Again(next, self, problem),
            None if !took => Next::Again(next, self, Invalid::Empty),
            None => Next::Ask(next, self),
        }
    }

    /// The dialog as the message that started it leaves it: "Ich suche ein Fahrrad
    /// bis 300 Euro" starts at the place. `None` when the message gives no answer, or
    /// does not ask for anything ("wie lösche ich mein Konto?"): then the first
    /// question is still to ask. A caller tries this where the knowledge base found
    /// the "find a listing" intent, or found nothing: a message that asks for
    /// something is not always a search ("ich brauche Hilfe").
    pub fn open(message: &str) -> Option<Next> {
        let parts = phrases::read(message);
        if !parts.request && parts.price.is_none() && parts.place.is_none() {
            return None;
        }
        match FindListing::default().answer(message) {
            Next::Ask(_, s) | Next::Again(_, s, _) if s == FindListing::default() => None,
            Next::Cancelled => None,
            next => Some(next),
        }
    }

    /// The answer to `step`'s question (the place for `Complete`, which has none).
    fn slot(&mut self, step: Step) -> &mut Option<String> {
        match step {
            Step::What => &mut self.what,
            Step::MaxPrice => &mut self.max_price,
            Step::Place | Step::Complete => &mut self.place,
        }
    }

    /// Whether every answer given would be taken as it stands (the client sends the
    /// state back; it may have been changed on the way).
    pub fn check(&self) -> Result<(), (Field, Invalid)> {
        if let Some(w) = &self.what {
            what(w).map_err(|e| (Field::Query, e))?;
        }
        self.params().map(|_| ())
    }

    /// The search the answers make (the same validation as the search page); only
    /// meaningful once [`step`](Self::step) is `Complete`.
    pub fn search(&self) -> Result<Search, (Field, Invalid)> {
        self.params()
    }

    /// The search page's parameters for these answers (for a "more results" link).
    pub fn search_params(&self) -> SearchParams {
        SearchParams {
            q: self.what.clone().unwrap_or_default(),
            max: self.max_price.clone().unwrap_or_default(),
            place: self.place.clone().unwrap_or_default(),
            ..SearchParams::default()
        }
    }

    /// The bot asks one question at a time: the first problem is the one to ask again.
    fn params(&self) -> Result<Search, (Field, Invalid)> {
        Search::parse(&self.search_params()).map_err(|p| {
            p.iter().next().map_or((Field::Query, Invalid::Empty), |f| (f.field, f.problem))
        })
    }
}

/// How an answer is checked.
type Check = fn(&str) -> Result<String, Invalid>;

/// What to look for: some words, not too long.
fn what(input: &str) -> Result<String, Invalid> {
    let input = input.trim();
    if input.chars().count() > MAX_QUERY_LEN {
        return Err(Invalid::TooLong { max: MAX_QUERY_LEN });
    }
    if search_terms(input).is_empty() {
        return Err(Invalid::Empty);
    }
    Ok(input.to_owned())
}

/// The most it may cost: an amount in euro among words like "bis" or "under".
fn max_price(input: &str) -> Result<String, Invalid> {
    let amount: Vec<&str> = input
        .split(|c: char| c.is_whitespace() || c == '€')
        .filter(|w| !w.is_empty() && !PRICE_WORDS.contains(&fold(w).as_str()))
        .collect();
    let amount = amount.join("");
    let params = SearchParams { max: amount.clone(), ..SearchParams::default() };
    match Search::parse(&params) {
        Ok(_) if amount.is_empty() => Err(Invalid::PriceFormat),
        Ok(_) => Ok(amount),
        Err(problems) => Err(problems.first_problem()),
    }
}

/// Where: a postal-code prefix or a town.
fn place(input: &str) -> Result<String, Invalid> {
    let input = input.trim();
    let params = SearchParams { place: input.to_owned(), ..SearchParams::default() };
    Search::parse(&params).map(|_| input.to_owned()).map_err(|p| p.first_problem())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Place;

    fn ask(state: FindListing, input: &str) -> FindListing {
        match state.answer(input) {
            Next::Ask(_, s) | Next::Search(s) => s,
            other => panic!("{input:?} was not taken: {other:?}"),
        }
    }

    #[test]
    fn three_answers_make_a_search() {
        let s = FindListing::default();
        assert_eq!(s.step(), Step::What);
        let s = ask(s, "Fahrrad");
        assert_eq!(s.step(), Step::MaxPrice);
        let s = ask(s, "bis 150 €");
        assert_eq!(s.step(), Step::Place);
        let done = s.clone().answer("Berlin");
        let Next::Search(s) = done else { panic!("{done:?}") };
        let search = s.search().unwrap();
        assert_eq!(search.terms, ["fahrrad"]);
        assert_eq!(search.max_cents, Some(15_000));
        assert!(matches!(search.place, Some(Place::City(_))));
        assert_eq!(
            s.search_params().pairs(),
            [("q", "Fahrrad"), ("max", "150"), ("place", "Berlin")]
        );
    }

    #[test]
    fn any_price_and_anywhere_in_either_language() {
        for (price, place) in [("egal", "überall"), ("no limit", "anywhere"), ("Egal!", "ANY")] {
            let s = ask(ask(FindListing::default(), "Sofa"), price);
            let Next::Search(s) = s.answer(place) else { panic!("{price} / {place}") };
            let search = s.search().unwrap();
            assert_eq!((search.max_cents, search.place), (None, None));
        }
    }

    #[test]
    fn prices_as_people_write_them() {
        for (typed, cents) in [
            ("50", 5_000),
            ("50 Euro", 5_000),
            ("höchstens 12,50 €", 1_250),
            ("under 1.500", 150_000),
            ("up to 20 EUR", 2_000),
        ] {
            let s = ask(ask(FindListing::default(), "Lampe"), typed);
            assert_eq!(s.step(), Step::Place);
            let s = ask(s, "10115");
            assert_eq!(s.search().unwrap().max_cents, Some(cents), "{typed}");
        }
    }

    #[test]
    fn answers_that_do_not_fit_are_asked_again() {
        let s = ask(FindListing::default(), "Tisch");
        assert_eq!(
            s.clone().answer("billig"),
            Next::Again(Step::MaxPrice, s.clone(), Invalid::PriceFormat)
        );
        assert_eq!(
            s.clone().answer("bis"),
            Next::Again(Step::MaxPrice, s.clone(), Invalid::PriceFormat)
        );
        assert!(matches!(
            FindListing::default().answer("  ?! "),
            Next::Again(Step::What, _, Invalid::Empty)
        ));
        let long = "Wort ".repeat(100);
        assert!(matches!(
            FindListing::default().answer(&long),
            Next::Again(Step::What, _, Invalid::TooLong { .. })
        ));
        let s = ask(s, "30");
        assert!(matches!(
            s.clone().answer("B"),
            Next::Again(Step::Place, _, Invalid::TooShort { .. })
        ));
        assert!(matches!(s.clone().answer("123456"), Next::Again(Step::Place, _, _)), "six digits");
    }

    #[test]
    fn cancel_stops_at_any_step() {
        let s = ask(FindListing::default(), "Tisch");
        assert_eq!(s.clone().answer("Abbrechen"), Next::Cancelled);
        assert_eq!(FindListing::default().answer("cancel"), Next::Cancelled);
    }

    #[test]
    fn a_state_changed_on_the_way_starts_again() {
        let forged = FindListing { what: Some("x".repeat(500)), max_price: None, place: None };
        assert!(forged.check().is_err());
        assert!(
            matches!(forged.answer("50"), Next::Again(Step::What, s, _) if s == FindListing::default())
        );
        let forged =
            FindListing { what: Some("Tisch".into()), max_price: Some("viel".into()), place: None };
        assert!(forged.check().is_err());
    }

    proptest::proptest! {
        /// Whatever is typed, at whatever step: no panic, and every state the dialog
        /// hands on passes its own check.
        #[test]
        fn any_input_keeps_the_state_valid(inputs in proptest::collection::vec("\\PC{0,30}", 1..5)) {
            let mut state = FindListing::default();
            for input in &inputs {
                match state.clone().answer(input) {
                    Next::Ask(_, s) | Next::Again(_, s, _) => state = s,
                    Next::Search(s) => {
                        proptest::prop_assert!(s.search().is_ok());
                        state = s;
                    }
                    Next::Cancelled => state = FindListing::default(),
                }
                proptest::prop_assert!(state.check().is_ok(), "{:?}", state);
            }
        }
    }

    #[test]
    fn the_state_travels_as_small_json() {
        let s = ask(FindListing::default(), "Fahrrad");
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"what":"Fahrrad"}"#);
        let back: FindListing = serde_json::from_str(r#"{"what":"Fahrrad"}"#).unwrap();
        assert_eq!(back, s);
    }
}

//! What a listing search is: the parameters in the URL (so a search can be shared and
//! bookmarked), their validation, the words of a query, and the opaque cursor of
//! keyset pagination. The server turns a [`Search`] into SQL; the browser builds links.

use crate::listing::{parse_euro_amount, Category, City, ListingSummary, PostalCode, Price};
use crate::validation::{char_len, Field, Invalid, Problems};
use serde::{Deserialize, Serialize};

mod words;
pub use words::{compound_parts, fold, index_text, search_terms, without_umlaut_e, word_key};

/// Results per page.
pub const PAGE_SIZE: usize = 24;
/// A query longer than this is refused.
pub const MAX_QUERY_LEN: usize = 200;
/// Only the first this many words of a query count.
pub const MAX_TERMS: usize = 10;

/// The order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Sort {
    #[default]
    Newest,
    /// Cheapest first; negotiable listings (no amount to compare) come last.
    PriceAsc,
    /// Dearest first; negotiable listings come last.
    PriceDesc,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Newest, Sort::PriceAsc, Sort::PriceDesc];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
        }
    }

    /// Unknown values fall back to the default order.
    pub fn parse(s: &str) -> Sort {
        Sort::ALL.into_iter().find(|o| o.as_str() == s).unwrap_or_default()
    }
}

/// The search exactly as it stands in the URL (`/search?q=…&category=…`). Every field
/// is optional; empty means "not set".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub category: String,
    /// Lowest price in euro as typed ("10", "12,50").
    #[serde(default)]
    pub min: String,
    #[serde(default)]
    pub max: String,
    /// A postal-code prefix (digits) or a city name.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub sort: String,
    /// Where the page starts (a cursor from the previous page); empty for the first.
    #[serde(default)]
    pub after: String,
}

impl SearchParams {
    /// Reads the parameters from `(key, value)` pairs, e.g. a parsed query string.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut p = SearchParams::default();
        for (k, v) in pairs {
            let slot = match k {
                "q" => &mut p.q,
                "category" => &mut p.category,
                "min" => &mut p.min,
                "max" => &mut p.max,
                "place" => &mut p.place,
                "sort" => &mut p.sort,
                "after" => &mut p.after,
                _ => continue,
            };
            *slot = v.to_owned();
        }
        p
    }

    /// The `key=value` pairs that are set, in a fixed order (for URLs).
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("q", self.q.as_str()),
            ("category", self.category.as_str()),
            ("min", self.min.as_str()),
            ("max", self.max.as_str()),
            ("place", self.place.as_str()),
            ("sort", self.sort.as_str()),
            ("after", self.after.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
    }

    /// `path?query` for this search (just `path` when nothing is set): the search
    /// page's links and the help bot's "more results" use it.
    pub fn url(&self, path: &str) -> String {
        let query =
            form_urlencoded::Serializer::new(String::new()).extend_pairs(self.pairs()).finish();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    }

    /// The same search from its first page.
    pub fn first_page(&self) -> SearchParams {
        SearchParams { after: String::new(), ..self.clone() }
    }

    /// The same search, starting after `cursor`.
    pub fn after(&self, cursor: &str) -> SearchParams {
        SearchParams { after: cursor.to_owned(), ..self.clone() }
    }
}

/// Where results are: a postal-code prefix or a city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// One to five leading digits of the postal code.
    PostalPrefix(String),
    City(City),
}

/// A validated search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// Lowercased words; a listing must contain all of them (a word also matches as
    /// the start of a longer word: "fahr" finds "Fahrrad").
    pub terms: Vec<String>,
    /// A top category (all its subcategories) or a subcategory.
    pub category: Option<Category>,
    pub min_cents: Option<u64>,
    pub max_cents: Option<u64>,
    pub place: Option<Place>,
    pub sort: Sort,
    pub after: Option<Cursor>,
}

impl Search {
    /// Validates the parameters: every filter's problem at once. An unreadable page
    /// cursor (a hand-edited link) starts from the first page.
    pub fn parse(p: &SearchParams) -> Result<Search, Problems> {
        let mut problems = Problems::default();
        if char_len(&p.q) > MAX_QUERY_LEN {
            problems.add(Field::Query, Invalid::TooLong { max: MAX_QUERY_LEN });
        }
        let category = match p.category.trim() {
            "" => None,
            slug => problems
                .check(Field::Category, Category::find(slug).ok_or(Invalid::UnknownCategory)),
        };
        let amount = |s: &str| match s.trim() {
            "" => Ok(None),
            s => match parse_euro_amount(s) {
                Ok(c) if c > Price::MAX_CENTS => Err(Invalid::PriceTooHigh),
                Ok(c) => Ok(Some(c)),
                Err(e) => Err(e),
            },
        };
        let min_cents = problems.check(Field::MinPrice, amount(&p.min)).flatten();
        let max_cents = problems.check(Field::MaxPrice, amount(&p.max)).flatten();
        if let (Some(lo), Some(hi)) = (min_cents, max_cents) {
            if hi < lo {
                problems.add(Field::MaxPrice, Invalid::PriceRange);
            }
        }
        let place = match p.place.trim() {
            "" => None,
            s if s.bytes().all(|b| b.is_ascii_digit()) => {
                problems.check(Field::Place, PostalCode::parse_prefix(s)).map(Place::PostalPrefix)
            }
            s => problems.check(Field::Place, City::parse(s)).map(Place::City),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Search {
            terms: search_terms(&p.q),
            category,
            min_cents,
            max_cents,
            place,
            sort: Sort::parse(p.sort.trim()),
            after: Cursor::parse(&p.after),
        })
    }

    /// Whether a price filter is set (then only listings with an amount match; free
    /// counts as 0 €).
    pub fn filters_price(&self) -> bool {
        self.min_cents.is_some() || self.max_cents.is_some()
    }
}

/// A position in a result list: the sort key of the last listing shown and its id.
/// In URLs it is `key.id`, e.g. `1795478399999.5f0c…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cursor {
    pub key: i64,
    pub id: String,
}

impl Cursor {
    pub fn parse(s: &str) -> Option<Cursor> {
        let (key, id) = s.trim().split_once('.')?;
        let key = key.parse().ok()?;
        let id_ok = !id.is_empty()
            && id.len() <= 64
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        id_ok.then(|| Cursor { key, id: id.to_owned() })
    }

    pub fn encode(&self) -> String {
        format!("{}.{}", self.key, self.id)
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub listings: Vec<ListingSummary>,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
    /// How many listings the search finds on all its pages (where it was counted).
    pub count: Option<ResultCount>,
}

/// Results are counted up to this many; beyond, a page says "more than".
pub const COUNT_LIMIT: u64 = 10_000;

/// How many listings a search finds: exactly, or more than [`COUNT_LIMIT`] (counting
/// everything would cost as much as reading everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResultCount {
    Exactly(u64),
    MoreThan(u64),
}

impl ResultCount {
    /// From a count that stopped at one past [`COUNT_LIMIT`].
    pub fn from_counted(counted: u64) -> ResultCount {
        if counted > COUNT_LIMIT {
            ResultCount::MoreThan(COUNT_LIMIT)
        } else {
            ResultCount::Exactly(counted)
        }
    }
}

/// `text` as a piece of a `LIKE … ESCAPE '\\'` pattern: `%`, `_` and `\\` match
/// themselves.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        SearchParams::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn counts_stop_past_the_limit() {
        assert_eq!(ResultCount::from_counted(0), ResultCount::Exactly(0));
        assert_eq!(ResultCount::from_counted(COUNT_LIMIT), ResultCount::Exactly(COUNT_LIMIT));
        assert_eq!(ResultCount::from_counted(COUNT_LIMIT + 1), ResultCount::MoreThan(COUNT_LIMIT));
    }

    #[test]
    fn a_full_search_parses() {
        let s = Search::parse(&params(&[
            ("q", "Sofa"),
            ("category", "home-garden"),
            ("min", "10"),
            ("max", "120,50"),
            ("place", "101"),
            ("sort", "price_desc"),
        ]))
        .unwrap();
        assert_eq!(s.terms, ["sofa"]);
        assert_eq!(s.category.unwrap().slug, "home-garden");
        assert_eq!((s.min_cents, s.max_cents), (Some(1000), Some(12050)));
        assert_eq!(s.place, Some(Place::PostalPrefix("101".into())));
        assert_eq!(s.sort, Sort::PriceDesc);
        assert!(s.after.is_none());
        assert!(s.filters_price());
    }

    #[test]
    fn empty_search_is_everything_newest_first() {
        let s = Search::parse(&SearchParams::default()).unwrap();
        assert!(s.terms.is_empty() && s.category.is_none() && s.place.is_none());
        assert_eq!(s.sort, Sort::Newest);
        assert!(!s.filters_price());
    }

    #[test]
    fn bad_filters_name_their_field() {
        let err = |pairs: &[(&str, &str)]| {
            let problems = Search::parse(&params(pairs)).unwrap_err();
            let first = problems.iter().next().copied().unwrap();
            (first.field, first.problem)
        };
        assert_eq!(err(&[("category", "weapons")]), (Field::Category, Invalid::UnknownCategory));
        assert_eq!(err(&[("min", "zehn")]), (Field::MinPrice, Invalid::PriceFormat));
        assert_eq!(err(&[("min", "50"), ("max", "20")]), (Field::MaxPrice, Invalid::PriceRange));
        let huge = "100000000000000000";
        assert_eq!(err(&[("min", huge)]), (Field::MinPrice, Invalid::PriceTooHigh));
        assert_eq!(err(&[("place", "1234567")]), (Field::Place, Invalid::PostalCodeFormat));
        assert_eq!(err(&[("place", "X")]), (Field::Place, Invalid::TooShort { min: 2 }));
        let long = "a".repeat(MAX_QUERY_LEN + 1);
        assert_eq!(err(&[("q", &long)]), (Field::Query, Invalid::TooLong { max: MAX_QUERY_LEN }));
        assert_eq!(err(&[("place", "00")]), (Field::Place, Invalid::PostalCodeUnknown));
        // every filter's problem at once
        let all = Search::parse(&params(&[("min", "zehn"), ("max", "x"), ("place", "X")]));
        assert_eq!(all.unwrap_err().fields(), [Field::MinPrice, Field::MaxPrice, Field::Place]);
    }

    #[test]
    fn place_is_a_prefix_or_a_city() {
        let s = Search::parse(&params(&[("place", " München ")])).unwrap();
        assert_eq!(s.place, Some(Place::City(City::parse("München").unwrap())));
    }

    #[test]
    fn unknown_sort_is_newest() {
        assert_eq!(Sort::parse("cheapest"), Sort::Newest);
        for s in Sort::ALL {
            assert_eq!(Sort::parse(s.as_str()), s);
        }
    }

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = Cursor { key: -1_500, id: "5f0c-ab".into() };
        assert_eq!(Cursor::parse(&c.encode()), Some(c));
        assert_eq!(Cursor::parse("12"), None);
        assert_eq!(Cursor::parse("x.abc"), None);
        assert_eq!(Cursor::parse("1.a'b"), None);
        assert_eq!(Cursor::parse("1."), None);
        // a broken cursor starts from the first page
        assert!(Search::parse(&params(&[("after", "junk")])).unwrap().after.is_none());
    }

    #[test]
    fn params_round_trip_through_pairs() {
        let p = params(&[("q", "Rad"), ("sort", "price_asc"), ("after", "1.x"), ("other", "y")]);
        assert_eq!(p.pairs(), [("q", "Rad"), ("sort", "price_asc"), ("after", "1.x")]);
        assert_eq!(p.first_page().pairs(), [("q", "Rad"), ("sort", "price_asc")]);
        assert_eq!(p.after("2.y").after, "2.y");
        let again = SearchParams::from_pairs(p.pairs());
        assert_eq!(again, p);
    }
}

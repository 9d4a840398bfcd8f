//! How numbers, prices, dates and times read, in one place. Times are shown on the
//! reader's wall clock ([`Locale::zone`]): the offset of their zone at each instant
//! comes from the server's database of zones while it renders, and from the browser's
//! `Intl` in an island ([`offset_at`]); everything else is the same code on both sides.

use super::Locale;
use marktchat_shared::listing::{Category, ListingStatus, Price};
use marktchat_shared::search::{ResultCount, Sort};
use marktchat_shared::time::{Date, Local};
use marktchat_shared::{Language, Timestamp, Zone};

/// A price as people read it (the words live in `shared`, which the help bot uses too).
pub fn price_text(lang: Language, price: Price) -> String {
    price.text(lang)
}

/// How many listings a search finds: "1.234 Anzeigen" / "1,234 listings", "über
/// 10.000 Anzeigen" / "more than 10,000 listings".
pub fn count_text(lang: Language, count: ResultCount) -> String {
    let (n, more) = match count {
        ResultCount::Exactly(n) => (n, false),
        ResultCount::MoreThan(n) => (n, true),
    };
    let number = lang.number(n);
    match (lang, more, n == 1) {
        (Language::De, true, _) => format!("über {number} Anzeigen"),
        (Language::De, false, true) => "1 Anzeige".to_owned(),
        (Language::De, false, false) => format!("{number} Anzeigen"),
        (Language::En, true, _) => format!("more than {number} listings"),
        (Language::En, false, true) => "1 listing".to_owned(),
        (Language::En, false, false) => format!("{number} listings"),
    }
}

/// A listing status as a label.
pub fn status_text(lang: Language, status: ListingStatus) -> &'static str {
    use ListingStatus::*;
    match (status, lang) {
        (Active, Language::De) => "Aktiv",
        (Active, Language::En) => "Active",
        (Reserved, Language::De) => "Reserviert",
        (Reserved, Language::En) => "Reserved",
        (Sold, Language::De) => "Verkauft",
        (Sold, Language::En) => "Sold",
        (Inactive, Language::De) => "Deaktiviert",
        (Inactive, Language::En) => "Deactivated",
        (Deleted, Language::De) => "Gelöscht",
        (Deleted, Language::En) => "Deleted",
    }
}

/// The button that changes a listing from `from` to `to`.
pub fn status_action(lang: Language, from: ListingStatus, to: ListingStatus) -> &'static str {
    use ListingStatus::*;
    match (to, from, lang) {
        (Reserved, _, Language::De) => "Als reserviert markieren",
        (Reserved, _, Language::En) => "Mark as reserved",
        (Sold, _, Language::De) => "Als verkauft markieren",
        (Sold, _, Language::En) => "Mark as sold",
        (Inactive, _, Language::De) => "Deaktivieren",
        (Inactive, _, Language::En) => "Deactivate",
        (Active, Reserved, Language::De) => "Reservierung aufheben",
        (Active, Reserved, Language::En) => "Cancel reservation",
        (Active, _, Language::De) => "Wieder aktivieren",
        (Active, _, Language::En) => "Reactivate",
        (Deleted, _, Language::De) => "Löschen",
        (Deleted, _, Language::En) => "Delete",
    }
}

/// "Elektronik › Handys" for a subcategory slug.
pub fn category_path(lang: Language, slug: &str) -> String {
    match Category::find(slug) {
        Some(c) if !c.is_top() => format!("{} › {}", c.top().name(lang), c.name(lang)),
        Some(c) => c.name(lang).to_owned(),
        None => slug.to_owned(),
    }
}

/// The label of a result order.
pub fn sort_text(lang: Language, sort: Sort) -> &'static str {
    match (sort, lang) {
        (Sort::Newest, Language::De) => "Neueste zuerst",
        (Sort::Newest, Language::En) => "Newest first",
        (Sort::PriceAsc, Language::De) => "Preis aufsteigend",
        (Sort::PriceAsc, Language::En) => "Price: low to high",
        (Sort::PriceDesc, Language::De) => "Preis absteigend",
        (Sort::PriceDesc, Language::En) => "Price: high to low",
    }
}

/// An amount for the price input: "1234,50" / "1234.50", whole euros without decimals.
pub fn amount_text(lang: Language, cents: u64) -> String {
    let (euros, rest) = (cents / 100, cents % 100);
    let sep = if lang == Language::De { ',' } else { '.' };
    if rest == 0 {
        euros.to_string()
    } else {
        format!("{euros}{sep}{rest:02}")
    }
}

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Locale {
    /// The wall clock of this reader at `at`.
    pub fn local(self, at: Timestamp) -> Local {
        at.local(offset_at(self.zone, at))
    }

    /// The reader's calendar day of `at` (for day separators).
    pub fn day(self, at: Timestamp) -> Date {
        self.local(at).date
    }

    /// A short date: "23.11.2026" / "23 Nov 2026".
    pub fn short_date(self, at: Timestamp) -> String {
        short_day(self.language, self.day(at))
    }

    /// A long date: "23. November 2026" / "23 November 2026".
    pub fn long_date(self, at: Timestamp) -> String {
        long_day(self.language, self.day(at))
    }

    /// The time of day, "14:05".
    pub fn clock_time(self, at: Timestamp) -> String {
        let Local { hour, minute, .. } = self.local(at);
        format!("{hour:02}:{minute:02}")
    }

    /// Date and time: "23.11.2026 14:05" / "23 Nov 2026 14:05".
    pub fn date_time(self, at: Timestamp) -> String {
        let local = self.local(at);
        format!("{} {:02}:{:02}", short_day(self.language, local.date), local.hour, local.minute)
    }
}

/// A short date: "23.11.2026" / "23 Nov 2026".
pub fn short_day(lang: Language, Date { year, month, day }: Date) -> String {
    match lang {
        Language::De => format!("{day:02}.{month:02}.{year}"),
        Language::En => {
            let idx = (month as usize).saturating_sub(1).min(11);
            format!("{day} {} {year}", &MONTHS_EN[idx][..3])
        }
    }
}

/// A long date: "23. November 2026" / "23 November 2026".
pub fn long_day(lang: Language, Date { year, month, day }: Date) -> String {
    let idx = (month as usize).saturating_sub(1).min(11);
    match lang {
        Language::De => format!("{day}. {} {year}", MONTHS_DE[idx]),
        Language::En => format!("{day} {} {year}", MONTHS_EN[idx]),
    }
}

/// The cookie in which the page's script keeps the browser's time zone
/// (`Intl.DateTimeFormat().resolvedOptions().timeZone`, see `app::IslandScripts`). A
/// cookie rather than a request: it is there from the next page on, for visitors too,
/// and needs no state on any instance.
pub const ZONE_COOKIE: &str = "marktchat_tz";

/// Seconds `zone`'s clocks are ahead of UTC at `at`: the server's database of zones.
#[cfg(feature = "ssr")]
pub fn offset_at(zone: Zone, at: Timestamp) -> i32 {
    marktchat_services::zones::offset_at(zone, at)
}

/// Seconds `zone`'s clocks are ahead of UTC at `at`: what the browser's `Intl` shows
/// on that zone's clock at that instant, less the instant.
#[cfg(not(feature = "ssr"))]
pub fn offset_at(zone: Zone, at: Timestamp) -> i32 {
    #[cfg(feature = "hydrate")]
    {
        browser::offset_at(zone, at)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (zone, at);
        0
    }
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
mod browser {
    use marktchat_shared::{Timestamp, Zone};
    use std::cell::RefCell;
    use wasm_bindgen::{JsCast, JsValue};

    thread_local! {
        // Making a formatter is slow; a page formats in one zone.
        static FORMAT: RefCell<Option<(Zone, js_sys::Intl::DateTimeFormat)>> =
            const { RefCell::new(None) };
    }

    fn formatter(zone: Zone) -> Option<js_sys::Intl::DateTimeFormat> {
        let options = js_sys::Object::new();
        let set = |key: &str, value: &str| {
            js_sys::Reflect::set(&options, &key.into(), &value.into()).is_ok()
        };
        let ok = set("timeZone", zone.name())
            && set("hourCycle", "h23")
            && ["year", "month", "day", "hour", "minute", "second"]
                .into_iter()
                .all(|part| set(part, "numeric"));
        if !ok {
            return None;
        }
        // `new Intl.DateTimeFormat("en-US", options)`, through Reflect: an unknown
        // zone throws a RangeError, which must not end the island.
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let class: js_sys::Function =
            js_sys::Reflect::get(&intl, &"DateTimeFormat".into()).ok()?.dyn_into().ok()?;
        let args = js_sys::Array::of2(&"en-US".into(), &options);
        js_sys::Reflect::construct(&class, &args).ok()?.dyn_into().ok()
    }

    pub fn offset_at(zone: Zone, at: Timestamp) -> i32 {
        FORMAT.with_borrow_mut(|cached| {
            if cached.as_ref().is_none_or(|(z, _)| *z != zone) {
                *cached = formatter(zone).map(|f| (zone, f));
            }
            let Some((_, format)) = cached.as_ref() else { return 0 };
            let whole_seconds = at.millis().div_euclid(1000) * 1000;
            let date = js_sys::Date::new(&JsValue::from_f64(whole_seconds as f64));
            let mut fields = [0f64; 6];
            for part in format.format_to_parts(&date).iter() {
                let get = |key: &str| js_sys::Reflect::get(&part, &key.into()).ok();
                let (Some(kind), Some(value)) = (get("type"), get("value")) else { continue };
                let index = match kind.as_string().as_deref() {
                    Some("year") => 0,
                    Some("month") => 1,
                    Some("day") => 2,
                    Some("hour") => 3,
                    Some("minute") => 4,
                    Some("second") => 5,
                    _ => continue,
                };
                fields[index] = value.as_string().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            }
            let [y, mo, d, h, mi, s] = fields;
            let wall = js_sys::Date::utc(y, mo - 1.0)
                + ((d - 1.0) * 86_400.0 + h * 3600.0 + mi * 60.0 + s) * 1000.0;
            ((wall - whole_seconds as f64) / 1000.0).round() as i32
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_localised() {
        let ts = Timestamp(1_795_478_399_999);
        let utc = |language| Locale { language, zone: Zone::UTC };
        assert_eq!(utc(Language::De).long_date(ts), "23. November 2026");
        assert_eq!(utc(Language::En).long_date(ts), "23 November 2026");
        assert_eq!(utc(Language::De).short_date(ts), "23.11.2026");
        assert_eq!(utc(Language::En).short_date(ts), "23 Nov 2026");
    }

    /// The case: a message written at 00:57 in Berlin showed "23:57" under the
    /// day before.
    #[cfg(feature = "ssr")]
    #[test]
    fn times_are_on_the_readers_clock() {
        let at = Timestamp(1_795_478_220_000); // 2026-11-23T23:57Z
        let berlin = Locale { language: Language::De, zone: Zone::DEFAULT };
        assert_eq!(berlin.clock_time(at), "00:57");
        assert_eq!(berlin.long_date(at), "24. November 2026");
        assert_eq!(berlin.date_time(at), "24.11.2026 00:57");
        let zone = marktchat_services::zones::known("America/Los_Angeles").unwrap();
        let la = Locale { language: Language::En, zone };
        assert_eq!(la.date_time(at), "23 Nov 2026 15:57");
        // Summer time: 2026-07-01T10:00Z is 12:00 in Berlin.
        assert_eq!(berlin.clock_time(Timestamp(1_782_900_000_000)), "12:00");
    }

    #[test]
    fn result_counts_read_naturally() {
        assert_eq!(count_text(Language::De, ResultCount::Exactly(1234)), "1.234 Anzeigen");
        assert_eq!(count_text(Language::En, ResultCount::Exactly(1234)), "1,234 listings");
        assert_eq!(count_text(Language::De, ResultCount::Exactly(1)), "1 Anzeige");
        assert_eq!(count_text(Language::En, ResultCount::Exactly(1)), "1 listing");
        assert_eq!(count_text(Language::De, ResultCount::MoreThan(10_000)), "über 10.000 Anzeigen");
        assert_eq!(
            count_text(Language::En, ResultCount::MoreThan(10_000)),
            "more than 10,000 listings"
        );
    }

    #[test]
    fn prices_read_naturally() {
        let p = |cents| Price::Fixed { cents };
        assert_eq!(price_text(Language::De, p(123_450)), "1.234,50 €");
        assert_eq!(price_text(Language::En, p(123_450)), "€1,234.50");
        assert_eq!(price_text(Language::De, p(500)), "5 €");
        assert_eq!(price_text(Language::De, p(100_000_000)), "1.000.000 €");
        assert_eq!(price_text(Language::De, Price::Negotiable { cents: None }), "VB");
        let vb = Price::Negotiable { cents: Some(5000) };
        assert_eq!(price_text(Language::De, vb), "50 € VB");
        assert_eq!(price_text(Language::En, vb), "€50 or nearest offer");
        assert_eq!(price_text(Language::En, Price::Free), "Free");
        assert_eq!(amount_text(Language::De, 1250), "12,50");
        assert_eq!(amount_text(Language::En, 1200), "12");
        // what the form shows, the parser reads back
        for cents in [1, 99, 1250, 123_456] {
            for lang in Language::ALL {
                let shown = amount_text(lang, cents);
                assert_eq!(
                    marktchat_shared::listing::parse_euro_amount(&shown),
                    Ok(cents),
                    "{shown}"
                );
            }
        }
    }
}

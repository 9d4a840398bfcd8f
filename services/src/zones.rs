//! Time zones: which exist, and how far their clocks are from UTC at an instant. The
//! IANA database comes built into the binary (jiff's bundled copy), so every instance
//! and every test machine agrees, whatever the host has installed.
//!
//! Pages show times in the reader's zone; the formatting itself lives in the app
//! (`i18n::format`), which asks this module on the server and the browser's `Intl` in
//! the browser.

use marktchat_shared::{Timestamp, Zone};
use std::cell::RefCell;
use std::sync::OnceLock;

/// The zone of that name as the database spells it (`europe/berlin` is
/// `Europe/Berlin`), if it knows one.
pub fn known(name: &str) -> Option<Zone> {
    let form = Zone::parse(name).ok()?;
    let tz = jiff::tz::TimeZone::get(form.name()).ok()?;
    Zone::parse(tz.iana_name()?).ok()
}

/// Seconds the zone's clocks are ahead of UTC at `at` (negative west of Greenwich). A
/// zone the database does not know (it was checked when it was stored, so only after
/// a database update) counts as UTC.
pub fn offset_at(zone: Zone, at: Timestamp) -> i32 {
    thread_local! {
        // Pages format dozens of times in one zone: keep the last one at hand.
        static LAST: RefCell<Option<(Zone, jiff::tz::TimeZone)>> = const { RefCell::new(None) };
    }
    let Ok(instant) = jiff::Timestamp::from_millisecond(at.millis()) else { return 0 };
    LAST.with_borrow_mut(|last| {
        if last.as_ref().is_none_or(|(z, _)| *z != zone) {
            let tz = jiff::tz::TimeZone::get(zone.name()).unwrap_or(jiff::tz::TimeZone::UTC);
            *last = Some((zone, tz));
        }
        last.as_ref().map_or(0, |(_, tz)| tz.to_offset(instant).seconds())
    })
}

/// Every zone the database knows, sorted by name (for the profile's choice).
pub fn all() -> &'static [Zone] {
    static ALL: OnceLock<Vec<Zone>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut zones: Vec<Zone> = jiff::tz::db()
            .available()
            .filter_map(|name| Zone::parse(name.as_str()).ok())
            // Old aliases ("US/Pacific", "Etc/GMT+5", "CET") stay valid, but the choice
            // offers the places people look for.
            .filter(|z| z.name().contains('/') && !z.name().starts_with("Etc/"))
            .filter(|z| z.name().chars().next().is_some_and(|c| c.is_ascii_uppercase()))
            .collect();
        zones.sort_by(|a, b| a.name().cmp(b.name()));
        zones.dedup();
        zones
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_and_spelled_as_the_database_does() {
        assert_eq!(known("Europe/Berlin"), Some(Zone::DEFAULT));
        assert_eq!(known("europe/berlin"), Some(Zone::DEFAULT));
        assert_eq!(known("UTC").map(|z| z.name().to_owned()).as_deref(), Some("UTC"));
        assert_eq!(known("Europe/Atlantis"), None);
        assert_eq!(known("../../etc/passwd"), None);
        assert_eq!(known(""), None);
    }

    #[test]
    fn offsets_follow_summer_time() {
        let berlin = Zone::DEFAULT;
        // 2026-01-15T12:00Z: winter, UTC+1; 2026-07-15T12:00Z: summer, UTC+2.
        assert_eq!(offset_at(berlin, Timestamp(1_768_478_400_000)), 3600);
        assert_eq!(offset_at(berlin, Timestamp(1_784_116_800_000)), 7200);
        let new_york = known("America/New_York").unwrap();
        assert_eq!(offset_at(new_york, Timestamp(1_768_478_400_000)), -5 * 3600);
        let kolkata = known("Asia/Kolkata").unwrap();
        assert_eq!(offset_at(kolkata, Timestamp(1_768_478_400_000)), 5 * 3600 + 1800);
        // Switching back and forth between zones keeps each one's own offset.
        assert_eq!(offset_at(berlin, Timestamp(1_768_478_400_000)), 3600);
        // The message: written at 00:57 in Berlin, 23:57 UTC the day before.
        let at = Timestamp(1_795_478_220_000);
        let local = at.local(offset_at(berlin, at));
        assert_eq!((local.date.day, local.hour, local.minute), (24, 0, 57));
    }

    #[test]
    fn the_choice_holds_places_not_aliases() {
        let all = all();
        assert!(all.len() > 300, "{}", all.len());
        assert!(all.contains(&Zone::DEFAULT));
        assert!(all.windows(2).all(|w| w[0].name() < w[1].name()));
        assert!(all.iter().all(|z| known(z.name()) == Some(*z)));
    }
}

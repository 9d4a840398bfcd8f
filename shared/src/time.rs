//! Timestamps in a form every database and both targets agree on: milliseconds since
//! the Unix epoch (UTC) in an `i64`. Calendar dates and wall-clock times are computed
//! here from a UTC offset; which offset a [`Zone`] has at an instant is the one thing
//! this crate cannot know (it has no time-zone database, and builds for the browser):
//! the server asks its database of zones, the browser its `Intl` (see the app's
//! `i18n::format`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

/// A calendar date (proleptic Gregorian, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl Timestamp {
    pub fn from_millis(ms: i64) -> Self {
        Timestamp(ms)
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    /// The UTC calendar date of this instant.
    pub fn date(self) -> Date {
        let days = self.0.div_euclid(86_400_000);
        civil_from_days(days)
    }

    /// ISO 8601 date, e.g. `2026-11-23`.
    pub fn iso_date(self) -> String {
        let d = self.date();
        format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
    }

    /// The wall clock at this instant where the clock is `offset_secs` ahead of UTC.
    pub fn local(self, offset_secs: i32) -> Local {
        let shifted = self.0.saturating_add(i64::from(offset_secs) * 1000);
        let minutes = shifted.div_euclid(60_000).rem_euclid(24 * 60);
        Local {
            date: civil_from_days(shifted.div_euclid(86_400_000)),
            hour: (minutes / 60) as u32,
            minute: (minutes % 60) as u32,
        }
    }

    /// ISO 8601 to the minute, UTC, e.g. `2026-11-23T14:00Z`.
    pub fn iso_minute_utc(self) -> String {
        let minutes = self.0.div_euclid(60_000).rem_euclid(24 * 60);
        format!("{}T{:02}:{:02}Z", self.iso_date(), minutes / 60, minutes % 60)
    }
}

/// What a clock on the wall shows at an instant, somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Local {
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
}

/// The longest zone name kept (the longest IANA name, `America/Argentina/ComodRivadavia`,
/// has 32 characters).
const MAX_ZONE_LEN: usize = 40;

/// A time zone's IANA name, e.g. `Europe/Berlin`: where a person reads the time. Held
/// inline, so that it is `Copy` like the language it travels with. [`Zone::parse`]
/// checks only the form of a name; whether such a zone exists is the server's to
/// check (it has the database of zones).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone {
    len: u8,
    bytes: [u8; MAX_ZONE_LEN],
}

impl Zone {
    /// Where marktchat's people mostly are: the zone before a browser has told its own.
    pub const DEFAULT: Zone = Zone::from_static("Europe/Berlin");
    pub const UTC: Zone = Zone::from_static("UTC");

    const fn from_static(name: &str) -> Zone {
        let mut bytes = [0; MAX_ZONE_LEN];
        let mut i = 0;
        while i < name.len() {
            bytes[i] = name.as_bytes()[i];
            i += 1;
        }
        Zone { len: name.len() as u8, bytes }
    }

    /// A name of the IANA form: ASCII letters, digits and `/ _ - +` (no dots, so never
    /// a path), no empty part, at most 40 characters.
    pub fn parse(name: &str) -> Result<Zone, crate::Invalid> {
        let name = name.trim();
        let fits = !name.is_empty()
            && name.len() <= MAX_ZONE_LEN
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b))
            && name.split('/').all(|part| !part.is_empty());
        if fits {
            Ok(Zone::from_static(name))
        } else {
            Err(crate::Invalid::UnknownTimeZone)
        }
    }

    pub fn name(&self) -> &str {
        // Only ASCII is ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("UTC")
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::DEFAULT
    }
}

impl std::fmt::Debug for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Zone({})", self.name())
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Zone, D::Error> {
        let name = String::deserialize(d)?;
        Zone::parse(&name).map_err(|_| serde::de::Error::custom("not a time zone's name"))
    }
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Date { year: if m <= 2 { y + 1 } else { y }, month: m, day: d }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(Timestamp(0).iso_date(), "1970-01-01");
        // 2000-02-29T12:00:00Z, a leap day
        assert_eq!(Timestamp(951_825_600_000).iso_date(), "2000-02-29");
        // 2026-11-23T23:59:59.999Z
        assert_eq!(Timestamp(1_795_478_399_999).iso_date(), "2026-11-23");
        assert_eq!(Timestamp(1_795_478_400_000).iso_date(), "2026-11-24");
        // before the epoch
        assert_eq!(Timestamp(-1).iso_date(), "1969-12-31");
        assert_eq!(Timestamp(1_795_478_399_999).iso_minute_utc(), "2026-11-23T23:59Z");
        assert_eq!(Timestamp(-1).iso_minute_utc(), "1969-12-31T23:59Z");
    }

    #[test]
    fn the_wall_clock_moves_with_the_offset() {
        // 2026-11-23T23:57Z: 00:57 the next day in Berlin (UTC+1), 18:57 in New York.
        let ts = Timestamp(1_795_478_220_000);
        let utc = ts.local(0);
        assert_eq!((utc.date.day, utc.hour, utc.minute), (23, 23, 57));
        let berlin = ts.local(3600);
        assert_eq!((berlin.date.day, berlin.hour, berlin.minute), (24, 0, 57));
        let new_york = ts.local(-5 * 3600);
        assert_eq!((new_york.date.day, new_york.hour), (23, 18));
        // Half-hour zones.
        assert_eq!(ts.local(5 * 3600 + 1800).minute, 27);
    }

    #[test]
    fn zone_names_are_checked_for_their_form() {
        assert_eq!(Zone::parse("Europe/Berlin").unwrap().name(), "Europe/Berlin");
        assert_eq!(Zone::parse(" America/Argentina/ComodRivadavia ").unwrap().name().len(), 32);
        assert_eq!(Zone::parse("Etc/GMT+5").unwrap().name(), "Etc/GMT+5");
        assert_eq!(Zone::default(), Zone::DEFAULT);
        for bad in ["", "Europe/", "/etc/passwd", "Europe/../x", "Europe/Berlin<script>", "a b"] {
            assert!(Zone::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Zone::parse(&"A".repeat(41)).is_err());
        let json = serde_json::to_string(&Zone::DEFAULT).unwrap();
        assert_eq!(json, r#""Europe/Berlin""#);
        assert_eq!(serde_json::from_str::<Zone>(&json).unwrap(), Zone::DEFAULT);
        assert!(serde_json::from_str::<Zone>(r#""../x""#).is_err());
    }
}

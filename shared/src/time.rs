//! Timestamps in a form every database and both targets agree on: milliseconds since
//! the Unix epoch (UTC) in an `i64`. Calendar dates are computed here, without a
//! time-zone database, because the UI only shows dates (e.g. "member since").

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

    /// ISO 8601 to the minute, UTC, e.g. `2026-11-23T14:00Z`.
    pub fn iso_minute_utc(self) -> String {
        let minutes = self.0.div_euclid(60_000).rem_euclid(24 * 60);
        format!("{}T{:02}:{:02}Z", self.iso_date(), minutes / 60, minutes % 60)
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
}

//! The validated pieces of an account. Each type's `parse` is the only way to make
//! one, so a value that exists is valid ("parse, don't validate"). The same rules
//! run in the browser (instant feedback) and on the server (the authority).

use crate::validation::{char_len, multi_line, single_line, Invalid};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A user's id: a UUID in its hyphenated text form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub String);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user's role. The first admin is made on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Role {
    #[default]
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    pub fn from_db(s: &str) -> Role {
        if s == "admin" {
            Role::Admin
        } else {
            Role::User
        }
    }
}

/// An e-mail address, trimmed and lower-cased (the form it is stored and compared in).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);
string_newtype!(Email);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Invalid::Empty);
        }
        if char_len(s) > Self::MAX_LEN {
            return Err(Invalid::TooLong { max: Self::MAX_LEN });
        }
        let (local, domain) = s.rsplit_once('@').ok_or(Invalid::EmailFormat)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        let no_space = !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if local_ok && domain_ok && no_space {
            Ok(Email(s.to_lowercase()))
        } else {
            Err(Invalid::EmailFormat)
        }
    }
}

/// The name other people see. Trimmed, inner runs of whitespace collapsed to one space.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DisplayName(String);
string_newtype!(DisplayName);

impl DisplayName {
    pub const MIN_LEN: usize = 2;
    pub const MAX_LEN: usize = 50;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        single_line(input, Self::MIN_LEN, Self::MAX_LEN).map(DisplayName)
    }

    /// The key the user directory searches and sorts by (Unicode lower case).
    pub fn search_key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A password that satisfies the policy: 10–128 characters, not the e-mail address,
/// and not easy to guess ([`crate::password_strength`]: no common password, sequence,
/// repeat, keyboard row or date making up most of it). No composition rules (NIST SP
/// 800-63B): length is what makes a password strong. Never serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 128;

    /// Checks the policy. `email` is the account's address, when known.
    pub fn parse(input: &str, email: Option<&Email>) -> Result<Self, Invalid> {
        let n = char_len(input);
        if n == 0 {
            return Err(Invalid::Empty);
        }
        if n < Self::MIN_LEN {
            return Err(Invalid::TooShort { min: Self::MIN_LEN });
        }
        if n > Self::MAX_LEN {
            return Err(Invalid::TooLong { max: Self::MAX_LEN });
        }
        let lower = input.to_lowercase();
        if let Some(email) = email {
            let local = email.as_str().split('@').next().unwrap_or("");
            if lower == email.as_str() || lower == local {
                return Err(Invalid::PasswordIsEmail);
            }
        }
        let personal: Vec<&str> = email.map(|e| e.as_str()).into_iter().collect();
        match crate::password_strength::estimate(input, &personal) {
            (_, Some(weakness)) => Err(Invalid::PasswordWeak(weakness)),
            (_, None) => Ok(Password(input.to_owned())),
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Where a user is, in their own words ("Berlin-Kreuzberg"). Optional: empty is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location(String);
string_newtype!(Location);

impl Location {
    pub const MAX_LEN: usize = 100;

    pub fn parse(input: &str) -> Result<Option<Self>, Invalid> {
        match single_line(input, 1, Self::MAX_LEN) {
            Ok(s) => Ok(Some(Location(s))),
            Err(Invalid::Empty) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A short self-description, multi-line. Optional: empty is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bio(String);
string_newtype!(Bio);

impl Bio {
    pub const MAX_LEN: usize = 1000;

    pub fn parse(input: &str) -> Result<Option<Self>, Invalid> {
        let s = multi_line(input, Self::MAX_LEN)?;
        Ok((!s.is_empty()).then_some(Bio(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_accepts_and_normalises() {
        assert_eq!(Email::parse("  Anna@Example.DE ").unwrap().as_str(), "anna@example.de");
        assert!(Email::parse("a.b+tag@sub.example.co.uk").is_ok());
        assert!(Email::parse("jürgen@müller.de").is_ok());
    }

    #[test]
    fn email_rejects() {
        assert_eq!(Email::parse(""), Err(Invalid::Empty));
        assert_eq!(Email::parse("   "), Err(Invalid::Empty));
        for bad in [
            "anna",
            "anna@",
            "@example.de",
            "anna@example",
            "anna@@example.de",
            "an na@example.de",
            "anna@exa mple.de",
            ".anna@example.de",
            "anna.@example.de",
            "an..na@example.de",
            "anna@-example.de",
            "anna@example..de",
            "anna@exam_ple.de",
        ] {
            assert_eq!(Email::parse(bad), Err(Invalid::EmailFormat), "{bad}");
        }
        let long = format!("{}@example.de", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(Invalid::TooLong { max: 254 }));
        let long_local = format!("{}@example.de", "a".repeat(65));
        assert_eq!(Email::parse(&long_local), Err(Invalid::EmailFormat));
    }

    #[test]
    fn display_name_rules() {
        assert_eq!(DisplayName::parse("  Anna   Schmidt ").unwrap().as_str(), "Anna Schmidt");
        assert_eq!(DisplayName::parse("Jo").unwrap().as_str(), "Jo");
        assert_eq!(DisplayName::parse("Zoë").unwrap().search_key(), "zoë");
        assert_eq!(DisplayName::parse(""), Err(Invalid::Empty));
        assert_eq!(DisplayName::parse("   "), Err(Invalid::Empty));
        assert_eq!(DisplayName::parse("A"), Err(Invalid::TooShort { min: 2 }));
        assert!(DisplayName::parse(&"ä".repeat(50)).is_ok());
        assert_eq!(DisplayName::parse(&"ä".repeat(51)), Err(Invalid::TooLong { max: 50 }));
        assert_eq!(DisplayName::parse("An\u{0}na"), Err(Invalid::ControlCharacters));
        assert_eq!(DisplayName::parse("An\nna"), Err(Invalid::ControlCharacters));
    }

    #[test]
    fn password_policy() {
        let email = Email::parse("anna.schmidt@example.de").unwrap();
        assert!(Password::parse("correct horse battery", Some(&email)).is_ok());
        assert!(Password::parse("Zehn-Zeichen", None).is_ok());
        assert_eq!(Password::parse("", None), Err(Invalid::Empty));
        assert_eq!(Password::parse("kurz123", None), Err(Invalid::TooShort { min: 10 }));
        assert_eq!(Password::parse(&"x".repeat(129), None), Err(Invalid::TooLong { max: 128 }));
        // The longest allowed: 128 characters that follow no pattern.
        let longest: String =
            (0..128u32).map(|i| char::from(b'a' + ((i * i * 7 + i * 3) % 26) as u8)).collect();
        assert!(Password::parse(&longest, None).is_ok(), "{longest}");
        assert!(Password::parse(&"xy".repeat(64), None).is_err(), "a repeat is not");
        use crate::password_strength::Weakness;
        let weak = |w| Err(Invalid::PasswordWeak(w));
        assert_eq!(Password::parse("aaaaaaaaaaaa", None), weak(Weakness::Repeat));
        assert_eq!(Password::parse("Password123", None), weak(Weakness::Common));
        assert_eq!(Password::parse("qwertzuiop", None), weak(Weakness::Keyboard));
        assert_eq!(Password::parse("abcdefghij", None), weak(Weakness::Sequence));
        assert_eq!(Password::parse("0123456789", None), weak(Weakness::Sequence));
        assert_eq!(
            Password::parse("Anna.Schmidt@example.de", Some(&email)),
            Err(Invalid::PasswordIsEmail)
        );
        assert_eq!(Password::parse("anna.schmidt", Some(&email)), Err(Invalid::PasswordIsEmail));
        // Never leaks through Debug.
        let p = Password::parse("correct horse battery", None).unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[test]
    fn location_rules() {
        assert_eq!(Location::parse("  "), Ok(None));
        assert_eq!(
            Location::parse(" Berlin   Kreuzberg ").unwrap().unwrap().as_str(),
            "Berlin Kreuzberg"
        );
        assert!(Location::parse(&"b".repeat(100)).unwrap().is_some());
        assert_eq!(Location::parse(&"b".repeat(101)), Err(Invalid::TooLong { max: 100 }));
        assert_eq!(Location::parse("Ber\u{7}lin"), Err(Invalid::ControlCharacters));
    }

    #[test]
    fn bio_rules() {
        assert_eq!(Bio::parse("\n  \n"), Ok(None));
        assert_eq!(
            Bio::parse("Hallo!\r\nIch verkaufe Fahrräder.\n").unwrap().unwrap().as_str(),
            "Hallo!\nIch verkaufe Fahrräder."
        );
        assert!(Bio::parse(&"x".repeat(1000)).unwrap().is_some());
        assert_eq!(Bio::parse(&"x".repeat(1001)), Err(Invalid::TooLong { max: 1000 }));
        assert_eq!(Bio::parse("a\u{1b}[31m"), Err(Invalid::ControlCharacters));
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::User, Role::Admin] {
            assert_eq!(Role::from_db(r.as_str()), r);
        }
        assert_eq!(Role::from_db("something else"), Role::User);
    }
}

/// Your own account, as the settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub location: Option<String>,
    pub bio: Option<String>,
    pub language: crate::Language,
    /// Where this person reads times; `None`: their browser's zone.
    #[serde(default)]
    pub time_zone: Option<crate::Zone>,
    /// Notification preference (used by the chat): tell me about new messages.
    pub notify_messages: bool,
    pub member_since: crate::Timestamp,
    /// Others may see when this person was last active (roughly, see [`LastActive`]).
    #[serde(default = "shown")]
    pub show_last_active: bool,
    /// Others may see how soon this person usually answers ([`ReplyTime`]).
    #[serde(default = "shown")]
    pub show_reply_time: bool,
}

fn shown() -> bool {
    true
}

/// What others see of someone's activity, as far as that person allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Activity {
    pub last_active: Option<LastActive>,
    pub reply_time: Option<ReplyTime>,
}

/// When someone was last active, no finer than this (their sessions note it at most
/// once an hour, and an exact time would tell others too much).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LastActive {
    Within24Hours,
    WithinAWeek,
    WithinAMonth,
    LongerAgo,
}

impl LastActive {
    pub fn since(last: crate::Timestamp, now: crate::Timestamp) -> LastActive {
        const HOUR: i64 = 3_600_000;
        match now.0.saturating_sub(last.0) {
            d if d <= 24 * HOUR => LastActive::Within24Hours,
            d if d <= 7 * 24 * HOUR => LastActive::WithinAWeek,
            d if d <= 30 * 24 * HOUR => LastActive::WithinAMonth,
            _ => LastActive::LongerAgo,
        }
    }
}

/// How soon someone usually answers: the median of their real reply times (the time
/// from another's message to their next one in the same conversation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyTime {
    WithinAnHour,
    WithinThreeHours,
    WithinADay,
    WithinDays,
}

impl ReplyTime {
    /// The fewest replies that say anything.
    pub const MIN_REPLIES: usize = 3;

    /// From reply times in milliseconds; `None` below [`Self::MIN_REPLIES`].
    pub fn from_delays(mut delays_ms: Vec<i64>) -> Option<ReplyTime> {
        if delays_ms.len() < Self::MIN_REPLIES {
            return None;
        }
        delays_ms.sort_unstable();
        let median = delays_ms[delays_ms.len() / 2];
        const HOUR: i64 = 3_600_000;
        Some(match median {
            d if d <= HOUR => ReplyTime::WithinAnHour,
            d if d <= 3 * HOUR => ReplyTime::WithinThreeHours,
            d if d <= 24 * HOUR => ReplyTime::WithinADay,
            _ => ReplyTime::WithinDays,
        })
    }
}

#[cfg(test)]
mod activity_tests {
    use super::*;
    use crate::Timestamp;

    #[test]
    fn reply_time_is_the_median_and_needs_a_few_replies() {
        const MIN: i64 = 60_000;
        assert_eq!(ReplyTime::from_delays(vec![5 * MIN, 10 * MIN]), None);
        assert_eq!(
            ReplyTime::from_delays(vec![5 * MIN, 600 * MIN, 10 * MIN]),
            Some(ReplyTime::WithinAnHour),
            "one slow answer does not count much"
        );
        assert_eq!(
            ReplyTime::from_delays(vec![120 * MIN, 170 * MIN, 5 * MIN, 3000 * MIN]),
            Some(ReplyTime::WithinThreeHours)
        );
        assert_eq!(ReplyTime::from_delays(vec![20 * 60 * MIN; 3]), Some(ReplyTime::WithinADay));
        assert_eq!(ReplyTime::from_delays(vec![30 * 60 * MIN; 5]), Some(ReplyTime::WithinDays));
    }

    #[test]
    fn last_active_is_coarse() {
        const HOUR: i64 = 3_600_000;
        let now = Timestamp(1_000 * 24 * HOUR);
        let ago = |h: i64| LastActive::since(Timestamp(now.0 - h * HOUR), now);
        assert_eq!(ago(0), LastActive::Within24Hours);
        assert_eq!(ago(24), LastActive::Within24Hours);
        assert_eq!(ago(25), LastActive::WithinAWeek);
        assert_eq!(ago(24 * 10), LastActive::WithinAMonth);
        assert_eq!(ago(24 * 31), LastActive::LongerAgo);
        // A clock that went back counts as now.
        assert_eq!(LastActive::since(Timestamp(now.0 + HOUR), now), LastActive::Within24Hours);
    }
}

/// What anyone may see of a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicProfile {
    pub id: UserId,
    pub display_name: String,
    pub location: Option<String>,
    pub bio: Option<String>,
    pub member_since: crate::Timestamp,
    /// As far as they allow; filled on their profile page only (not in lists).
    #[serde(default)]
    pub activity: Activity,
}

/// One page of the user directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPage {
    pub users: Vec<PublicProfile>,
    /// 1-based page number.
    pub page: u32,
    pub per_page: u32,
    /// Number of users matching the query, over all pages.
    pub total: u64,
}

/// How many pages `total` items make at `per_page` a page: at least one (an empty list
/// is one empty page).
pub(crate) fn page_count(total: u64, per_page: u32) -> u32 {
    total.div_ceil(u64::from(per_page.max(1))).max(1) as u32
}

impl DirectoryPage {
    pub const PER_PAGE: u32 = 20;

    pub fn page_count(&self) -> u32 {
        page_count(self.total, self.per_page)
    }

    pub fn has_next(&self) -> bool {
        self.page < self.page_count()
    }
}

/// The logged-in user, as every page needs it (header, language, permissions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub display_name: String,
    pub role: Role,
    pub language: crate::Language,
    /// The time zone chosen in the profile; `None`: the browser's.
    #[serde(default)]
    pub time_zone: Option<crate::Zone>,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// An e-mail address as a page may show it to whoever holds a link: the first letter,
/// dots, and the domain ("a•••@example.de"), enough for its owner to recognise.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

#[cfg(test)]
mod mask_tests {
    use super::mask_email;

    #[test]
    fn a_masked_address_keeps_its_first_letter_and_domain() {
        assert_eq!(mask_email("anna.schmidt@example.de"), "a•••@example.de");
        assert_eq!(mask_email("ö@beispiel.de"), "ö•••@beispiel.de");
        assert_eq!(mask_email("kaputt"), "•••");
    }
}

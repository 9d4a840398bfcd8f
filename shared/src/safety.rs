//! Scam warnings: what in a message should make its recipient careful. The scams that
//! matter on classifieds sites take the deal off the site — "pay me by PayPal Friends",
//! "here is the shipping link", "text me on WhatsApp" — so a message is marked when it
//! holds a link, a phone number, an e-mail address, a messenger, or a payment way
//! without buyer protection. The recipient sees a calm note beside the message; the
//! sender is never told (the page and the server both call [`warnings`], so the live
//! view and the page agree).
//!
//! Deliberately not marked: prices ("1.200 €", "12,50"), postal codes, years, dates and
//! times, sizes — numbers that do not start like a phone number or are too short.

/// Why a message is marked. Ordered as the note lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Warning {
    /// A payment way without buyer protection (PayPal Friends, Western Union, gift
    /// cards, crypto).
    PayOutside,
    /// A link to another site (a "payment" or "shipping" page).
    Link,
    /// A phone number.
    Phone,
    /// An e-mail address.
    Email,
    /// A messenger (WhatsApp, Telegram, …).
    Messenger,
}

/// What a message's text should be marked for, each reason once, in order.
pub fn warnings(text: &str) -> Vec<Warning> {
    let lower = text.to_lowercase();
    let words = words_of(&lower);
    let mut found = Vec::new();
    if PAY_OUTSIDE.iter().any(|p| contains_phrase(&words, p)) || lower.contains("f&f") {
        found.push(Warning::PayOutside);
    }
    if has_link(&lower) {
        found.push(Warning::Link);
    }
    if has_phone(text) {
        found.push(Warning::Phone);
    }
    if has_email(&lower) {
        found.push(Warning::Email);
    }
    if MESSENGERS.iter().any(|m| contains_phrase(&words, m))
        || lower.contains("t.me/")
        || lower.contains("wa.me/")
    {
        found.push(Warning::Messenger);
    }
    found
}

/// Payment ways without buyer protection, as words (compared on word boundaries).
const PAY_OUTSIDE: &[&str] = &[
    "paypal freunde",
    "paypal friends",
    "paypal an freunde",
    "freunde und familie",
    "friends and family",
    "western union",
    "moneygram",
    "paysafecard",
    "paysafe",
    "amazon gutschein",
    "itunes gutschein",
    "google play gutschein",
    "gift card",
    "giftcard",
    "bitcoin",
    "krypto",
    "crypto",
    "usdt",
    "paypal me",
];

/// Messengers, as words.
const MESSENGERS: &[&str] =
    &["whatsapp", "whats app", "telegram", "threema", "viber", "wechat", "snapchat", "wickr"];

/// The text as words of letters and digits, separated by single spaces, with a space
/// at each end (so a phrase matches whole words only).
fn words_of(lower: &str) -> String {
    let mut out = String::from(" ");
    for c in lower.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

fn contains_phrase(words: &str, phrase: &str) -> bool {
    words.contains(&format!(" {phrase} "))
}

/// Endings of host names people write without `http`: a word, a dot, one of these.
const TLDS: &[&str] = &[
    "de", "com", "net", "org", "eu", "at", "ch", "info", "biz", "io", "me", "ly", "co", "uk",
    "app", "shop", "link", "online", "site", "xyz", "top", "ru", "cn", "to", "cc", "gl", "gg",
];

fn has_link(lower: &str) -> bool {
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return true;
    }
    // "paypal.me/anna", "dhl-versand.com/track": a host name without a scheme.
    lower.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | ',' | '"')).any(
        |token| {
            if token.contains('@') {
                return false;
            }
            let host =
                token.split('/').next().unwrap_or("").trim_end_matches(['.', '!', '?', ':', ';']);
            let mut labels = host.split('.');
            let Some(first) = labels.next() else { return false };
            let rest: Vec<&str> = labels.collect();
            let Some(tld) = rest.last() else { return false };
            first.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2
                && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                && rest.iter().all(|l| !l.is_empty())
                && TLDS.contains(tld)
        },
    )
}

/// A phone number: starts with `+` or `0`, then 9 to 15 digits, with only spaces,
/// `-`, `/` and brackets between them ("0176 1234 5678", "+49 (30) 123456-7"). Not a
/// dot: "01.05.2024 18:30" is a date and a time.
fn has_phone(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts = (c == '+' || c == '0' || (c == '(' && chars.get(i + 1) == Some(&'0')))
            && (i == 0 || !chars[i - 1].is_alphanumeric());
        if starts {
            let mut digits = 0;
            let mut first_separator = true;
            let mut gap = 0;
            let mut j = i;
            while j < chars.len() {
                let d = chars[j];
                if d.is_ascii_digit() {
                    digits += 1;
                    gap = 0;
                } else if matches!(d, ' ' | '-' | '/') {
                    // One separator joins groups; " / " or " - " ends a number.
                    gap += 1;
                    if gap > 1 {
                        break;
                    }
                    if first_separator {
                        first_separator = false;
                        // "01/05/2024": a day, not an area code.
                        if d == '/' && c == '0' && digits < 3 {
                            digits = 0;
                            break;
                        }
                    }
                } else if !(matches!(d, '(' | ')') || (d == '+' && j == i)) {
                    break;
                }
                j += 1;
            }
            if (9..=15).contains(&digits) {
                return true;
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

/// An e-mail address: letters before an `@`, a host with a dot after it.
fn has_email(lower: &str) -> bool {
    lower.split_whitespace().any(|token| {
        let token = token.trim_matches(|c: char| !c.is_alphanumeric());
        match token.split_once('@') {
            Some((local, host)) => {
                !local.is_empty()
                    && host.contains('.')
                    && host.split('.').all(|l| !l.is_empty())
                    && host.rsplit('.').next().is_some_and(|t| t.len() >= 2)
            }
            None => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::Warning::*;
    use super::*;

    /// Real-world phrasings, German and English, and what they must be marked for.
    const TABLE: &[(&str, &[Warning])] = &[
        // Payment outside the site
        ("Bitte per PayPal Freunde, dann geht es schneller", &[PayOutside]),
        ("Zahlung nur über Paypal an Freunde möglich", &[PayOutside]),
        ("paypal freunde & familie geht auch", &[PayOutside]),
        ("Please pay via PayPal Friends and Family", &[PayOutside]),
        ("Überweisung per Western Union an meinen Cousin", &[PayOutside]),
        ("Ich nehme auch einen Amazon-Gutschein", &[PayOutside]),
        ("F&F bitte, keine Gebühren", &[PayOutside]),
        ("Du kannst auch in Bitcoin zahlen", &[PayOutside]),
        ("Schick das Geld an paypal.me/verkaeufer123", &[PayOutside, Link]),
        // Links
        ("Hier der Link zur Zahlung: https://dhl-sicher-bezahlen.com/pay?id=8", &[Link]),
        ("Versand über www.kleinanzeigen-versand.info", &[Link]),
        ("Bitte hier bestätigen: ebay-kleinanzeigen.de-sicher.xyz/login", &[Link]),
        ("Track it at dhl-tracking.net/123", &[Link]),
        // Phone numbers
        ("Ruf mich an: 0176 12345678", &[Phone]),
        ("Meine Nummer +49 151 2345 6789", &[Phone]),
        ("Tel. (030) 1234567", &[Phone]),
        ("0151-234 567 89 gerne auch abends", &[Phone]),
        ("call me on +44 7700 900123", &[Phone]),
        // E-mail and messengers
        ("Schreib mir lieber an max.mustermann@gmx.de", &[Email]),
        ("Melde dich per WhatsApp, geht schneller", &[Messenger]),
        ("Hast du Telegram? @verkaeufer_max", &[Messenger]),
        ("Kannst mir auf whats app schreiben: 0176 1234567", &[Phone, Messenger]),
        ("text me on Telegram", &[Messenger]),
        // Not marked: prices, postal codes, years, dates, times, sizes, plain talk
        ("Preis 1.200 €, VB", &[]),
        ("Ich biete 12,50 Euro", &[]),
        ("Abholung in 10115 Berlin möglich", &[]),
        ("Baujahr 2019, gekauft 2020", &[]),
        ("Am 01.05.2024 um 18:30 passt es", &[]),
        ("Abholung 01.05.2024 18:30", &[]),
        ("Abholung am 01/05/2024 18:30", &[]),
        ("Tel. 030 1234567 / 0176 12345678", &[Phone]),
        ("Nein, das war ich nicht, it wasn't me", &[]),
        ("Schreib mir: t.me/verkaeufer_max", &[Messenger]),
        ("Maße 120 x 80 x 75 cm, Gewicht 23,5 kg", &[]),
        ("Ist der Stuhl noch da? z.B. morgen um 10 Uhr?", &[]),
        ("Das ist ca. 20 Jahre alt, Nr. 5 der Serie", &[]),
        ("Is it still available? I can pick it up on Saturday.", &[]),
        ("Ich zahle bar bei Abholung", &[]),
        ("Rechnung 0815 liegt bei", &[]),
        ("Artikelnummer 100234567", &[]),
        ("Ich schicke dir ein Signal, wenn ich da bin", &[]),
        ("Version 2.0 der Software", &[]),
        ("Die Familie und Freunde haben schon geschaut", &[]),
    ];

    #[test]
    fn real_world_phrasings_are_marked_and_everyday_numbers_are_not() {
        let mut wrong = Vec::new();
        for (text, expected) in TABLE {
            let got = warnings(text);
            if got != *expected {
                wrong.push(format!("{text:?}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn each_reason_once_in_order() {
        let text = "WhatsApp 0176 12345678 oder 0176 87654321, https://a.de https://b.de";
        assert_eq!(warnings(text), [Link, Phone, Messenger]);
        assert!(warnings("").is_empty());
    }
}

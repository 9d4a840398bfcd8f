//! Validation and error texts: what the person did not get right, and why.

use super::Msg;
use marktchat_shared::password_strength::Weakness;
use marktchat_shared::{Field, Invalid, Language};

/// The rule parser's words for what it expected or found (`shared::rules::parse`
/// speaks English, as the Sync API does), in the page's language; quoted text as typed
/// stays as it is.
pub fn rule_parse_words(lang: Language, words: &str) -> String {
    if lang == Language::En {
        return words.to_owned();
    }
    match words {
        "the end" => "das Ende".to_owned(),
        "the end of the condition" => "das Ende der Bedingung".to_owned(),
        "a tag" => "einen Tag".to_owned(),
        "a tag of at most 50 characters" => "einen Tag mit höchstens 50 Zeichen".to_owned(),
        "a tag (only A-Z, a-z, 0-9, - and _)" => {
            "einen Tag (nur A–Z, a–z, 0–9, - und _)".to_owned()
        }
        "hasTag, not, all or any" => "hasTag, not, all oder any".to_owned(),
        _ => match words.strip_prefix("at most ").and_then(|w| w.strip_suffix(" conditions")) {
            Some(n) => format!("höchstens {n} Bedingungen"),
            None => words.to_owned(),
        },
    }
}

/// A field that holds a list of tags.
fn is_tag_list(field: Field) -> bool {
    matches!(field, Field::Outcome | Field::Tags)
}

/// A field that names a member by e-mail address.
fn is_address(field: Field) -> bool {
    matches!(field, Field::Email | Field::From | Field::To)
}

/// The message for a validation problem.
pub fn invalid_text(lang: Language, field: Field, problem: Invalid) -> String {
    use Language::*;
    match (problem, lang) {
        (Invalid::Empty, De) if field == Field::Category => "Bitte eine Kategorie wählen.".into(),
        (Invalid::Empty, En) if field == Field::Category => "Please choose a category.".into(),
        (Invalid::Empty, De) if field == Field::Outcome => {
            "Bitte mindestens einen Tag angeben, den die Regel erreichbar macht.".into()
        }
        (Invalid::Empty, En) if field == Field::Outcome => {
            "Please name at least one tag the rule lets people reach.".into()
        }
        (Invalid::Empty, De) if field == Field::Scopes => {
            "Bitte mindestens einen Bereich wählen.".into()
        }
        (Invalid::Empty, En) if field == Field::Scopes => {
            "Please choose at least one scope.".into()
        }
        (Invalid::Empty, De) => "Bitte ausfüllen.".into(),
        (Invalid::Empty, En) => "Please fill this in.".into(),
        (Invalid::TooShort { min }, De) => format!("Bitte mindestens {min} Zeichen."),
        (Invalid::TooShort { min }, En) => format!("Please use at least {min} characters."),
        (Invalid::TooLong { max }, De) => format!("Bitte höchstens {max} Zeichen."),
        (Invalid::TooLong { max }, En) => format!("Please use at most {max} characters."),
        (Invalid::ControlCharacters, De) => "Enthält unzulässige Steuerzeichen.".into(),
        (Invalid::ControlCharacters, En) => {
            "Contains control characters that are not allowed.".into()
        }
        (Invalid::EmailFormat, De) => "Das ist keine gültige E-Mail-Adresse.".into(),
        (Invalid::EmailFormat, En) => "This is not a valid e-mail address.".into(),
        (Invalid::PasswordWeak(why), De) => {
            let what = match why {
                Weakness::Common => {
                    "Es steht (fast) so auf den Listen, die Angreifer zuerst probieren."
                }
                Weakness::Sequence => "Folgen wie „abcdef“ oder „123456“ sind schnell erraten.",
                Weakness::Repeat => {
                    "Wiederholungen wie „aaaa“ oder „hallohallo“ sind schnell erraten."
                }
                Weakness::Keyboard => "Tastenreihen wie „qwertz“ oder „asdf“ sind schnell erraten.",
                Weakness::Date => "Jahreszahlen und Daten sind schnell erraten.",
                Weakness::Personal => "Es enthält deine E-Mail-Adresse oder deinen Namen.",
                Weakness::Guessable => "Es ist zu vorhersehbar.",
            };
            format!("Zu leicht zu erraten: {what} Nimm lieber drei, vier Wörter, die nicht zusammengehören.")
        }
        (Invalid::PasswordWeak(why), En) => {
            let what = match why {
                Weakness::Common => "it is (almost) on the lists attackers try first.",
                Weakness::Sequence => "runs like “abcdef” or “123456” are guessed quickly.",
                Weakness::Repeat => "repeats like “aaaa” or “hellohello” are guessed quickly.",
                Weakness::Keyboard => "rows of keys like “qwerty” or “asdf” are guessed quickly.",
                Weakness::Date => "years and dates are guessed quickly.",
                Weakness::Personal => "it contains your e-mail address or name.",
                Weakness::Guessable => "it is too predictable.",
            };
            format!(
                "Too easy to guess: {what} Try three or four words that do not belong together."
            )
        }
        (Invalid::PasswordIsEmail, De) => {
            "Das Passwort darf nicht deine E-Mail-Adresse sein.".into()
        }
        (Invalid::PasswordIsEmail, En) => "The password must not be your e-mail address.".into(),
        (Invalid::UnknownLanguage, De) => "Diese Sprache gibt es hier nicht.".into(),
        (Invalid::UnknownLanguage, En) => "This language is not available.".into(),
        (Invalid::UnknownTimeZone, De) => "Diese Zeitzone kennen wir nicht.".into(),
        (Invalid::UnknownTimeZone, En) => "We do not know this time zone.".into(),
        (Invalid::NotABuyer, De) => {
            "Verkaufen kannst du an jemanden, der dir zu dieser Anzeige geschrieben hat.".into()
        }
        (Invalid::NotABuyer, En) => {
            "You can sell to someone who wrote to you about this listing.".into()
        }
        (Invalid::PriceFormat, De) => "Bitte einen Betrag wie 12,50 eingeben.".into(),
        (Invalid::PriceFormat, En) => "Please enter an amount like 12.50.".into(),
        (Invalid::PriceTooHigh, De) => "Dieser Preis ist zu hoch.".into(),
        (Invalid::PriceTooHigh, En) => "This price is too high.".into(),
        (Invalid::PriceZero, De) => "Für 0 € wähle bitte „Zu verschenken“.".into(),
        (Invalid::PriceZero, En) => "For 0 € please choose “Free”.".into(),
        (Invalid::PriceWithFree, De) => {
            "„Zu verschenken“ hat keinen Betrag: lösche ihn oder wähle Festpreis oder VB.".into()
        }
        (Invalid::PriceWithFree, En) => {
            "“Free” has no amount: delete it, or choose a fixed price or negotiable.".into()
        }
        (Invalid::PostalCodeFormat, De) => "Eine Postleitzahl hat fünf Ziffern.".into(),
        (Invalid::PostalCodeFormat, En) => "A postal code has five digits.".into(),
        (Invalid::PostalCodeUnknown, De) => {
            "Diese Postleitzahl gibt es nicht: deutsche Postleitzahlen beginnen nicht mit 00."
                .into()
        }
        (Invalid::PostalCodeUnknown, En) => {
            "There is no such postal code: German postal codes do not start with 00.".into()
        }
        (Invalid::UnknownCategory, De) => "Diese Kategorie gibt es nicht.".into(),
        (Invalid::UnknownCategory, En) => "This category does not exist.".into(),
        (Invalid::CategoryNotSpecific, De) => "Bitte eine Unterkategorie wählen.".into(),
        (Invalid::CategoryNotSpecific, En) => "Please choose a subcategory.".into(),
        (Invalid::ListingConversation, De) => {
            "Ein Gespräch über eine Anzeige bleibt zwischen Käufer und Verkäufer. Schreib der Person direkt.".into()
        }
        (Invalid::ListingConversation, En) => {
            "A conversation about a listing stays between buyer and seller. Write to the person directly.".into()
        }
        (Invalid::StatusChange, De) => "Dieser Statuswechsel ist gerade nicht möglich.".into(),
        (Invalid::StatusChange, En) => "This status change is not possible now.".into(),
        (Invalid::ImageFormat, De) => {
            "Das ist kein Bild, das wir lesen können. Erlaubt sind JPEG, PNG und WebP.".into()
        }
        (Invalid::ImageFormat, En) => {
            "This is not an image we can read. JPEG, PNG and WebP are allowed.".into()
        }
        (Invalid::ImageTooLarge { max_mb }, De) => format!("Ein Bild ist größer als {max_mb} MB."),
        (Invalid::ImageTooLarge { max_mb }, En) => format!("An image is larger than {max_mb} MB."),
        (Invalid::ImageDimensions, De) => "Ein Bild hat zu viele Pixel.".into(),
        (Invalid::ImageDimensions, En) => "An image has too many pixels.".into(),
        (Invalid::TooManyImages { max }, De) => format!("Höchstens {max} Bilder pro Anzeige."),
        (Invalid::TooManyImages { max }, En) => format!("At most {max} images per listing."),
        (Invalid::PriceRange, De) => "Der Höchstpreis liegt unter dem Mindestpreis.".into(),
        (Invalid::PriceRange, En) => "The highest price is below the lowest.".into(),
        (Invalid::Duplicate, De) if is_tag_list(field) => "Ein Tag steht doppelt da.".into(),
        (Invalid::Duplicate, En) if is_tag_list(field) => "A tag is given twice.".into(),
        (Invalid::Duplicate, De) if field == Field::ClientName => {
            "Es gibt schon einen API-Client mit diesem Namen.".into()
        }
        (Invalid::Duplicate, En) if field == Field::ClientName => {
            "There is already an API client with this name.".into()
        }
        (Invalid::Duplicate, De) => "Schon vergeben.".into(),
        (Invalid::Duplicate, En) => "Already in use.".into(),
        (Invalid::NoSuchPerson, De) if is_address(field) => {
            "Kein Mitglied hat diese E-Mail-Adresse.".into()
        }
        (Invalid::NoSuchPerson, En) if is_address(field) => {
            "No member has this e-mail address.".into()
        }
        (Invalid::NoSuchPerson, De) => "Unter diesem Namen oder Link gibt es niemanden.".into(),
        (Invalid::NoSuchPerson, En) => "There is nobody with this name or link.".into(),
        (Invalid::ConditionSyntax, De) => "Die Bedingung ist so nicht lesbar.".into(),
        (Invalid::ConditionSyntax, En) => "The condition cannot be read.".into(),
        (Invalid::TagFormat, De) => "Ein Tag besteht nur aus A–Z, a–z, 0–9, - und _ \
             (höchstens 50 Zeichen); mehrere trennt ein Komma oder Leerzeichen."
            .into(),
        (Invalid::TagFormat, En) => "A tag has only A–Z, a–z, 0–9, - and _ (at most 50 \
             characters); a comma or space separates several."
            .into(),
        (Invalid::TooMany { max }, De) if is_tag_list(field) => format!("Höchstens {max} Tags."),
        (Invalid::TooMany { max }, En) if is_tag_list(field) => format!("At most {max} tags."),
        (Invalid::AmbiguousName, De) => {
            "Mehrere Mitglieder heißen so. Nimm den Link zu ihrem Profil.".into()
        }
        (Invalid::AmbiguousName, En) => {
            "Several members have this name. Use the link to their profile.".into()
        }
        (Invalid::ChatCodeFormat, De) => {
            "Ein Chat-Code hat 12 Buchstaben und Ziffern, z. B. K7QM-4XPA-92TD.".into()
        }
        (Invalid::ChatCodeFormat, En) => {
            "A chat code has 12 letters and digits, e.g. K7QM-4XPA-92TD.".into()
        }
        (Invalid::TooMany { max }, De) => format!("Höchstens {max}."),
        (Invalid::TooMany { max }, En) => format!("At most {max}."),
        (Invalid::Unchanged, De) => "Das ist schon deine Adresse.".into(),
        (Invalid::Unchanged, En) => "That is your address already.".into(),
        (Invalid::NotConfirmed, De) => match field {
            Field::Confirmation => "Bitte bestätige das Löschen mit dem Häkchen.".into(),
            _ => "Bitte bestätigen.".into(),
        },
        (Invalid::NotConfirmed, En) => match field {
            Field::Confirmation => "Please tick the box to confirm the deletion.".into(),
            _ => "Please confirm.".into(),
        },
    }
}

/// The message for an error that is not about one field.
pub fn error_text(lang: Language, err: &crate::error::AppError) -> String {
    use crate::error::AppError as E;
    match err {
        E::Invalid(_) => Msg::ErrorSummary.text(lang).into(),
        E::EmailTaken => Msg::ErrEmailTaken.text(lang).into(),
        E::WrongCredentials => Msg::ErrWrongCredentials.text(lang).into(),
        E::WrongPassword => Msg::ErrWrongPassword.text(lang).into(),
        E::TooManyAttempts { retry_after_secs } => {
            let wait = match (lang, retry_after_secs.div_ceil(60)) {
                (Language::De, 1) => "eine Minute".to_owned(),
                (Language::De, n) => format!("{n} Minuten"),
                (Language::En, 1) => "a minute".to_owned(),
                (Language::En, n) => format!("{n} minutes"),
            };
            match lang {
                Language::De => format!(
                    "Zu viele Versuche in kurzer Zeit. Bitte warte {wait} und versuch es dann \
                     noch einmal."
                ),
                Language::En => {
                    format!("Too many attempts in a short time. Please wait {wait} and try again.")
                }
            }
        }
        E::WritingTooFast { retry_after_secs } => match (lang, *retry_after_secs) {
            (Language::De, 0 | 1) => {
                "Du schreibst gerade sehr schnell – kurz warten (etwa eine Sekunde).".into()
            }
            (Language::De, n) => {
                format!("Du schreibst gerade sehr schnell – kurz warten (etwa {n} Sekunden).")
            }
            (Language::En, 0 | 1) => {
                "You are writing very fast – please wait a moment (about a second).".into()
            }
            (Language::En, n) => {
                format!("You are writing very fast – please wait a moment (about {n} seconds).")
            }
        },
        E::Busy { .. } => match lang {
            Language::De => "Der Server ist gerade stark beschäftigt. Bitte versuch es in ein \
                             paar Sekunden noch einmal."
                .into(),
            Language::En => "The server is very busy right now. Please try again in a few \
                             seconds."
                .into(),
        },
        E::NotLoggedIn => Msg::ErrNotLoggedIn.text(lang).into(),
        E::Forbidden => Msg::ErrForbidden.text(lang).into(),
        E::NotFound => Msg::ErrNotFound.text(lang).into(),
        E::ReadOnly => Msg::ErrReadOnly.text(lang).into(),
        E::CannotMessage => Msg::ErrCannotMessage.text(lang).into(),
        E::LinkExpired => Msg::ErrLinkExpired.text(lang).into(),
        E::Internal => Msg::ErrInternal.text(lang).into(),
        E::Request(_) => Msg::ErrRequest.text(lang).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_parsers_words_read_in_german() {
        use marktchat_shared::rules::{parse, MAX_CONDITIONS};
        let many = vec!["hasTag(A)"; MAX_CONDITIONS + 1].join(", ");
        for (typed, expected, found) in [
            ("all(hasTag(A)", "\")\"", "das Ende"),
            ("hasTag(", "einen Tag", "das Ende"),
            ("x", "hasTag, not, all oder any", "\"x\""),
            ("hasTag(A) x", "das Ende der Bedingung", ""),
            ("hasTag(München)", "einen Tag (nur A–Z, a–z, 0–9, - und _)", ""),
            (&*format!("hasTag({})", "a".repeat(51)), "einen Tag mit höchstens 50 Zeichen", ""),
            (&*format!("any({many})"), &*format!("höchstens {MAX_CONDITIONS} Bedingungen"), ""),
        ] {
            let e = parse(typed).unwrap_err();
            assert_eq!(rule_parse_words(Language::De, &e.expected), expected, "{typed}");
            if !found.is_empty() {
                assert_eq!(rule_parse_words(Language::De, &e.found), found, "{typed}");
            }
            assert_eq!(rule_parse_words(Language::En, &e.found), e.found, "English as it is");
        }
    }

    #[test]
    fn waiting_time_reads_naturally() {
        use crate::error::AppError::TooManyAttempts;
        let text = |lang, secs| error_text(lang, &TooManyAttempts { retry_after_secs: secs });
        assert!(text(Language::De, 30).contains("warte eine Minute und"));
        assert!(text(Language::De, 800).contains("warte 14 Minuten und"));
        assert!(text(Language::En, 60).contains("wait a minute and"));
        assert!(text(Language::En, 61).contains("wait 2 minutes and"));
    }

    #[test]
    fn rate_limit_message_rounds_up_to_minutes() {
        let e = crate::error::AppError::TooManyAttempts { retry_after_secs: 61 };
        assert!(error_text(Language::En, &e).contains("2 minute"));
    }
}

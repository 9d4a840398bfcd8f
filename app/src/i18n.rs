//! The one translation layer: every text the UI shows comes from here, in German and
//! English. Adding a message means adding one line to `messages!` with both texts —
//! the compiler then refuses any missing translation.
//!
//! The language comes from the logged-in user's setting, otherwise from the browser's
//! `Accept-Language` (see `get_session`), and reaches components through [`I18n`].

use leptos::prelude::*;
use marktchat_shared::time::Date;
use marktchat_shared::{Field, Invalid, Language, Timestamp};

macro_rules! messages {
    ($($key:ident => $de:literal, $en:literal;)*) => {
        /// A fixed UI text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key,)* }

        impl Msg {
            pub fn text(self, lang: Language) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Language::De) => $de, (Msg::$key, Language::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppTagline => "Kleinanzeigen mit Chat – selbst betrieben.", "Classifieds with chat – self-hosted.";
    NavHome => "Start", "Home";
    NavUsers => "Mitglieder", "Members";
    NavProfile => "Mein Profil", "My profile";
    NavAdmin => "Verwaltung", "Admin";
    NavLogin => "Anmelden", "Log in";
    NavRegister => "Registrieren", "Register";
    LogOut => "Abmelden", "Log out";
    MainNavigation => "Hauptnavigation", "Main navigation";
    SkipToContent => "Zum Inhalt springen", "Skip to content";
    Loading => "Wird geladen …", "Loading …";
    FooterText => "marktchat – freie Software für Kleinanzeigen mit Chat.", "marktchat – free software for classifieds with chat.";

    HomeTitle => "Willkommen bei marktchat", "Welcome to marktchat";
    HomeIntro => "Hier bieten Menschen aus der Nachbarschaft an, was sie nicht mehr brauchen, und klären alles Weitere direkt im Chat.", "People from your neighbourhood offer what they no longer need here, and settle the rest directly in chat.";
    HomeGetStarted => "Konto anlegen und loslegen", "Create an account to get started";
    HomeHaveAccount => "Schon dabei?", "Already a member?";
    HomeHello => "Hallo", "Hello";
    HomeLoggedInHint => "Pflege dein Profil oder sieh dir an, wer schon dabei ist.", "Keep your profile up to date or see who is already here.";
    HomeBrowseMembers => "Mitglieder ansehen", "Browse members";
    AccountDeletedNotice => "Dein Konto wurde gelöscht. Schade, dass du gehst!", "Your account has been deleted. Sorry to see you go!";
    LoggedOutNotice => "Du bist abgemeldet.", "You are logged out.";

    Email => "E-Mail-Adresse", "E-mail address";
    Password => "Passwort", "Password";
    DisplayName => "Anzeigename", "Display name";
    DisplayNameHint => "So sehen dich andere. 2 bis 50 Zeichen.", "This is how others see you. 2 to 50 characters.";
    PasswordHint => "Mindestens 10 Zeichen. Ein Satz aus mehreren Wörtern ist leicht zu merken und schwer zu erraten.", "At least 10 characters. A sentence of several words is easy to remember and hard to guess.";

    LoginTitle => "Anmelden", "Log in";
    LoginSubmit => "Anmelden", "Log in";
    LoginNoAccount => "Noch kein Konto?", "No account yet?";
    LoginRequired => "Bitte melde dich an, um diese Seite zu sehen.", "Please log in to see this page.";
    RegisterTitle => "Konto anlegen", "Create an account";
    RegisterSubmit => "Konto anlegen", "Create account";
    RegisterHaveAccount => "Schon ein Konto?", "Already have an account?";

    ProfileTitle => "Mein Profil", "My profile";
    ProfileSettings => "Einstellungen", "Settings";
    ProfileViewPublic => "Öffentliches Profil ansehen", "View public profile";
    Location => "Ort", "Location";
    LocationHint => "Optional, z. B. „Berlin-Kreuzberg“.", "Optional, e.g. “Berlin-Kreuzberg”.";
    Bio => "Über mich", "About me";
    BioHint => "Optional, höchstens 1000 Zeichen.", "Optional, at most 1000 characters.";
    Language => "Sprache", "Language";
    Notifications => "Benachrichtigungen", "Notifications";
    NotifyMessages => "Über neue Nachrichten benachrichtigen", "Notify me about new messages";
    NotifyMessagesHint => "Gilt für den Chat: ein Hinweis im Browser, wenn der Tab im Hintergrund ist.", "Applies to chat: a browser notification while the tab is in the background.";
    Save => "Speichern", "Save";
    Saved => "Gespeichert.", "Saved.";
    ChangePassword => "Passwort ändern", "Change password";
    CurrentPassword => "Aktuelles Passwort", "Current password";
    NewPassword => "Neues Passwort", "New password";
    PasswordChanged => "Dein Passwort wurde geändert. Andere Sitzungen wurden abgemeldet.", "Your password has been changed. Other sessions were logged out.";
    YourData => "Deine Daten", "Your data";
    YourDataText => "Lade alles, was marktchat über dich gespeichert hat, als JSON-Datei herunter.", "Download everything marktchat has stored about you as a JSON file.";
    DownloadData => "Meine Daten herunterladen (JSON)", "Download my data (JSON)";
    DeleteAccount => "Konto löschen", "Delete account";
    DeleteAccountText => "Dein Konto und alles, was dazu gespeichert ist, werden endgültig gelöscht. Das lässt sich nicht rückgängig machen.", "Your account and everything stored with it are deleted for good. This cannot be undone.";
    DeleteConfirm => "Ja, ich möchte mein Konto endgültig löschen.", "Yes, I want to delete my account for good.";
    DeleteSubmit => "Konto endgültig löschen", "Delete account for good";
    MemberSince => "Mitglied seit", "Member since";
    Role => "Rolle", "Role";
    RoleAdmin => "Administrator", "Administrator";
    RoleUser => "Mitglied", "Member";

    UsersTitle => "Mitglieder", "Members";
    UsersSearchLabel => "Nach Namen suchen", "Search by name";
    Search => "Suchen", "Search";
    UsersNone => "Niemand gefunden.", "Nobody found.";
    UsersFound => "Gefunden", "Found";
    PreviousPage => "Vorherige Seite", "Previous page";
    NextPage => "Nächste Seite", "Next page";
    Page => "Seite", "Page";
    Of => "von", "of";
    Pagination => "Seitennavigation", "Pagination";

    NotFoundTitle => "Seite nicht gefunden", "Page not found";
    NotFoundText => "Diese Seite gibt es nicht (mehr). Vielleicht hilft die Startseite weiter.", "This page does not exist (any more). The home page may help.";
    UserNotFound => "Dieses Mitglied gibt es nicht (mehr).", "This member does not exist (any more).";
    ForbiddenTitle => "Kein Zugriff", "No access";
    ForbiddenText => "Dieser Bereich ist Administratoren vorbehalten.", "This area is for administrators only.";
    AdminTitle => "Verwaltung", "Administration";
    AdminEmpty => "Hier entstehen die Werkzeuge für Administratoren: Tags, Kontaktregeln, Statistiken. Noch gibt es nichts zu tun.", "Tools for administrators will appear here: tags, contact rules, statistics. There is nothing to do yet.";
    BackHome => "Zur Startseite", "Back to the home page";

    ErrEmailTaken => "Für diese E-Mail-Adresse gibt es schon ein Konto. Melde dich an oder nimm eine andere Adresse.", "There is already an account for this e-mail address. Log in or use another address.";
    ErrWrongCredentials => "E-Mail-Adresse oder Passwort stimmt nicht.", "Wrong e-mail address or password.";
    ErrWrongPassword => "Das aktuelle Passwort stimmt nicht.", "The current password is wrong.";
    ErrNotLoggedIn => "Du bist nicht (mehr) angemeldet. Bitte melde dich an.", "You are not logged in (any more). Please log in.";
    ErrForbidden => "Das darfst du nicht.", "You are not allowed to do that.";
    ErrNotFound => "Nicht gefunden.", "Not found.";
    ErrInternal => "Auf dem Server ist etwas schiefgegangen. Bitte versuch es gleich noch einmal.", "Something went wrong on the server. Please try again in a moment.";
    ErrRequest => "Die Anfrage ist fehlgeschlagen. Bist du online?", "The request failed. Are you online?";
    ErrorSummary => "Bitte prüfe die markierten Felder.", "Please check the marked fields.";
}

/// Access to the current language for components. `Copy`, so closures can hold it.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: Signal<Language>,
}

impl I18n {
    /// The text now (tracks the language when called inside a reactive scope).
    pub fn tr(self, msg: Msg) -> &'static str {
        msg.text(self.lang.get())
    }

    /// A reactive text, for use directly in `view!`: `{i18n.t(Msg::LogIn)}`.
    pub fn t(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || msg.text(self.lang.get())
    }

    pub fn language(self) -> Language {
        self.lang.get()
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The message for a validation problem.
pub fn invalid_text(lang: Language, field: Field, problem: Invalid) -> String {
    use Language::*;
    match (problem, lang) {
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
        (Invalid::PasswordTooCommon, De) => {
            "Dieses Passwort ist zu leicht zu erraten. Nimm ein längeres oder ungewöhnlicheres."
                .into()
        }
        (Invalid::PasswordTooCommon, En) => {
            "This password is too easy to guess. Choose a longer or less common one.".into()
        }
        (Invalid::PasswordIsEmail, De) => {
            "Das Passwort darf nicht deine E-Mail-Adresse sein.".into()
        }
        (Invalid::PasswordIsEmail, En) => "The password must not be your e-mail address.".into(),
        (Invalid::UnknownLanguage, De) => "Diese Sprache gibt es hier nicht.".into(),
        (Invalid::UnknownLanguage, En) => "This language is not available.".into(),
        (Invalid::PriceFormat, De) => "Bitte einen Betrag wie 12,50 eingeben.".into(),
        (Invalid::PriceFormat, En) => "Please enter an amount like 12.50.".into(),
        (Invalid::PriceTooHigh, De) => "Dieser Preis ist zu hoch.".into(),
        (Invalid::PriceTooHigh, En) => "This price is too high.".into(),
        (Invalid::PostalCodeFormat, De) => "Eine Postleitzahl hat fünf Ziffern.".into(),
        (Invalid::PostalCodeFormat, En) => "A postal code has five digits.".into(),
        (Invalid::UnknownCategory, De) => "Diese Kategorie gibt es nicht.".into(),
        (Invalid::UnknownCategory, En) => "This category does not exist.".into(),
        (Invalid::CategoryNotSpecific, De) => "Bitte eine Unterkategorie wählen.".into(),
        (Invalid::CategoryNotSpecific, En) => "Please choose a subcategory.".into(),
        (Invalid::StatusChange, De) => "Dieser Statuswechsel ist gerade nicht möglich.".into(),
        (Invalid::StatusChange, En) => "This status change is not possible now.".into(),
        (Invalid::NotConfirmed, De) => match field {
            Field::Confirmation => "Bitte bestätige, dass du dein Konto löschen möchtest.".into(),
            _ => "Bitte bestätigen.".into(),
        },
        (Invalid::NotConfirmed, En) => match field {
            Field::Confirmation => "Please confirm that you want to delete your account.".into(),
            _ => "Please confirm.".into(),
        },
    }
}

/// The message for an error that is not about one field.
pub fn error_text(lang: Language, err: &crate::error::AppError) -> String {
    use crate::error::AppError as E;
    match err {
        E::Invalid { .. } => Msg::ErrorSummary.text(lang).into(),
        E::EmailTaken => Msg::ErrEmailTaken.text(lang).into(),
        E::WrongCredentials => Msg::ErrWrongCredentials.text(lang).into(),
        E::WrongPassword => Msg::ErrWrongPassword.text(lang).into(),
        E::TooManyAttempts { retry_after_secs } => {
            let minutes = retry_after_secs.div_ceil(60);
            match lang {
                Language::De => format!(
                    "Zu viele Anmeldeversuche. Bitte warte {minutes} Minute(n) und versuch es dann noch einmal."
                ),
                Language::En => format!(
                    "Too many login attempts. Please wait {minutes} minute(s) and try again."
                ),
            }
        }
        E::NotLoggedIn => Msg::ErrNotLoggedIn.text(lang).into(),
        E::Forbidden => Msg::ErrForbidden.text(lang).into(),
        E::NotFound => Msg::ErrNotFound.text(lang).into(),
        E::Internal => Msg::ErrInternal.text(lang).into(),
        E::Request(_) => Msg::ErrRequest.text(lang).into(),
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

/// A long date: "23. November 2026" / "23 November 2026".
pub fn long_date(lang: Language, ts: Timestamp) -> String {
    let Date { year, month, day } = ts.date();
    let idx = (month as usize).saturating_sub(1).min(11);
    match lang {
        Language::De => format!("{day}. {} {year}", MONTHS_DE[idx]),
        Language::En => format!("{day} {} {year}", MONTHS_EN[idx]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_differs_by_language_where_expected() {
        assert_eq!(Msg::LogOut.text(Language::De), "Abmelden");
        assert_eq!(Msg::LogOut.text(Language::En), "Log out");
    }

    #[test]
    fn dates_are_localised() {
        let ts = Timestamp(1_795_478_399_999);
        assert_eq!(long_date(Language::De, ts), "23. November 2026");
        assert_eq!(long_date(Language::En, ts), "23 November 2026");
    }

    #[test]
    fn rate_limit_message_rounds_up_to_minutes() {
        let e = crate::error::AppError::TooManyAttempts { retry_after_secs: 61 };
        assert!(error_text(Language::En, &e).contains("2 minute"));
    }
}

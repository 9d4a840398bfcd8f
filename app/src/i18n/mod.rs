//! The one translation layer: every text the UI shows comes from here, in German and
//! English. Adding a message means adding one line to `messages!` with both texts —
//! the compiler then refuses any missing translation.
//!
//! The language comes from the logged-in user's setting, otherwise from the browser's
//! `Accept-Language` (see `get_session`), and reaches components through [`I18n`],
//! together with the time zone the reader reads times in ([`Locale`]).
//!
//! - [`texts`]: validation and error texts;
//! - [`format`]: prices, counts, dates and times (in the reader's zone).

mod format;
mod texts;

pub use format::*;
pub use texts::*;

use leptos::prelude::*;
use marktchat_shared::{Language, Zone};
use serde::{Deserialize, Serialize};

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
    NavMenu => "Menü", "Menu";
    SkipToContent => "Zum Inhalt springen", "Skip to content";
    Loading => "Wird geladen …", "Loading …";
    FooterText => "marktchat – freie Software für Kleinanzeigen mit Chat.", "marktchat – free software for classifieds with chat.";

    HomeTitle => "Willkommen bei marktchat", "Welcome to marktchat";
    HomeIntro => "Hier bieten Menschen aus der Nachbarschaft an, was sie nicht mehr brauchen, und klären alles Weitere direkt im Chat.", "People from your neighbourhood offer what they no longer need here, and settle the rest directly in chat.";
    HomeGetStarted => "Konto anlegen und loslegen", "Create an account to get started";
    HomeHaveAccount => "Schon dabei?", "Already a member?";
    HomeHello => "Hallo", "Hello";
    HomeLoggedInHint => "Pflege dein Profil oder sieh dir an, wer schon dabei ist.", "Keep your profile up to date or see who is already here.";
    AccountDeletedNotice => "Dein Konto wurde gelöscht. Schade, dass du gehst!", "Your account has been deleted. Sorry to see you go!";
    LoggedOutNotice => "Du bist abgemeldet.", "You are logged out.";

    Email => "E-Mail-Adresse", "E-mail address";
    Password => "Passwort", "Password";
    DisplayName => "Anzeigename", "Display name";
    DisplayNameHint => "So sehen dich andere. 2 bis 50 Zeichen.", "This is how others see you. 2 to 50 characters.";
    PasswordStrong => "Gut: schwer zu erraten.", "Good: hard to guess.";
    PasswordHint => "Mindestens 10 Zeichen. Ein Satz aus mehreren Wörtern ist leicht zu merken und schwer zu erraten.", "At least 10 characters. A sentence of several words is easy to remember and hard to guess.";

    LoginTitle => "Anmelden", "Log in";
    LoginSubmit => "Anmelden", "Log in";
    LoginNoAccount => "Noch kein Konto?", "No account yet?";
    SafetyNote => "Sicherheitshinweis", "Safety note";
    SafetyPay => "Bezahle nie per PayPal Freunde, Gutschein, Krypto oder Bargeldtransfer: Ohne Käuferschutz ist dein Geld im Zweifel weg.", "Never pay by PayPal Friends, gift card, crypto or money transfer: without buyer protection your money may be gone.";
    SafetyLink => "Dieser Link führt weg von marktchat. Gib dort keine Zahlungs- oder Anmeldedaten ein.", "This link leads away from marktchat. Never enter payment or login details there.";
    SafetyContact => "Bleib für Absprachen und Bezahlung hier im Chat. Außerhalb kann dir bei Betrug niemand helfen.", "Keep arrangements and payment here in the chat. Outside it, nobody can help you if it is a scam.";
    ChangeEmail => "E-Mail-Adresse ändern", "Change e-mail address";
    CurrentEmail => "Deine Anmeldung", "Your login";
    NewEmail => "Neue E-Mail-Adresse", "New e-mail address";
    ChangeEmailSubmit => "Bestätigungslink schicken", "Send confirmation link";
    EmailChangeSent => "Wir haben einen Link an die neue Adresse geschickt. Sie gilt, sobald du ihn geöffnet und bestätigt hast; bis dahin meldest du dich mit der bisherigen an.", "We sent a link to the new address. It counts once you have opened the link and confirmed; until then, log in with the current one.";
    ConfirmEmailTitle => "Neue E-Mail-Adresse bestätigen", "Confirm your new e-mail address";
    ConfirmEmailText => "Künftig meldest du dich mit dieser Adresse an:", "From now on, you log in with this address:";
    ConfirmEmailSubmit => "Adresse bestätigen", "Confirm address";
    EmailConfirmed => "Erledigt: Deine neue E-Mail-Adresse gilt. Melde dich künftig damit an.", "Done: your new e-mail address counts. Log in with it from now on.";
    ForgotPassword => "Passwort vergessen?", "Forgot your password?";
    ForgotTitle => "Passwort vergessen", "Forgotten password";
    ForgotText => "Gib die E-Mail-Adresse deines Kontos ein. Wir schicken dir einen Link, mit dem du ein neues Passwort wählen kannst.", "Enter your account's e-mail address. We will send you a link to choose a new password.";
    ForgotSubmit => "Link schicken", "Send link";
    ForgotSent => "Wenn ein Konto diese Adresse hat, ist eine E-Mail mit dem Link unterwegs. Er gilt eine Stunde lang und nur einmal. Schau auch im Spam-Ordner nach.", "If an account has this address, an e-mail with the link is on its way. The link works once, for one hour. Check your spam folder too.";
    ResetTitle => "Neues Passwort wählen", "Choose a new password";
    ResetFor => "Für das Konto {account}:", "For the account {account}:";
    ResetSubmit => "Passwort speichern und anmelden", "Save password and log in";
    ResetExpired => "Dieser Link ist abgelaufen oder wurde schon benutzt. Fordere einfach einen neuen an.", "This link has expired or was used already. Just ask for a new one.";
    ResetAskAgain => "Neuen Link anfordern", "Ask for a new link";
    LoginRequired => "Bitte melde dich an, um diese Seite zu sehen.", "Please log in to see this page.";
    RegisterTitle => "Konto anlegen", "Create an account";
    RegisterSubmit => "Konto anlegen", "Create account";
    RegisterHaveAccount => "Schon ein Konto?", "Already have an account?";

    ProfileTitle => "Mein Profil", "My profile";
    ProfileSettings => "Einstellungen", "Settings";
    ProfileSections => "Bereiche des Profils", "Parts of the profile";
    ProfileViewPublic => "Öffentliches Profil ansehen", "View public profile";
    Location => "Ort", "Location";
    LocationHint => "Optional, z. B. „Berlin-Kreuzberg“.", "Optional, e.g. “Berlin-Kreuzberg”.";
    Bio => "Über mich", "About me";
    BioHint => "Optional, höchstens 1000 Zeichen.", "Optional, at most 1000 characters.";
    Language => "Sprache", "Language";
    TimeZone => "Zeitzone", "Time zone";
    TimeZoneAutomatic => "Wie mein Browser", "As my browser says";
    TimeZoneHint => "Alle Zeiten auf marktchat erscheinen in dieser Zeitzone. „Wie mein Browser“ nimmt die Zeitzone deines Geräts (ohne JavaScript: Europe/Berlin).", "Every time on marktchat is shown in this zone. “As my browser says” takes your device's zone (without JavaScript: Europe/Berlin).";
    Notifications => "Benachrichtigungen", "Notifications";
    NotifyMessages => "Über neue Nachrichten benachrichtigen", "Notify me about new messages";
    NotifyMessagesHint => "Ein Hinweis des Browsers, wenn eine Nachricht kommt, während marktchat im Hintergrund ist. Der Browser fragt dafür einmal um Erlaubnis.", "A browser notification when a message arrives while marktchat is in the background. The browser asks for permission once.";
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

    NavSearch => "Anzeigen", "Listings";
    NavNewListing => "Anzeige aufgeben", "Post an ad";
    SearchTitle => "Anzeigen suchen", "Search listings";
    SearchWords => "Suchbegriffe", "Search words";
    SearchPlaceholder => "z. B. Fahrrad, Sofa, Kinderwagen", "e.g. bicycle, sofa, pram";
    Categories => "Kategorien", "Categories";
    Subcategories => "Unterkategorien", "Subcategories";
    AllCategories => "Alle Kategorien", "All categories";
    AllListings => "Alle Anzeigen", "All listings";
    LatestListings => "Neueste Anzeigen", "Latest listings";
    NoListingsYet => "Noch keine Anzeigen. Gib die erste auf!", "No listings yet. Post the first one!";
    NoResults => "Keine Anzeigen gefunden. Versuch es mit weniger oder anderen Suchbegriffen oder Filtern.", "No listings found. Try fewer or different words or filters.";
    MoreFilters => "Preis, Ort und Sortierung", "Price, place and order";
    MinPrice => "Preis ab (€)", "Price from (€)";
    MaxPrice => "Preis bis (€)", "Price up to (€)";
    PlaceFilter => "PLZ oder Ort", "Postal code or town";
    PlaceFilterHint => "Die ersten Ziffern der PLZ (z. B. 10 für Berlin) oder ein Ortsname.", "The first digits of the postal code (e.g. 10 for Berlin) or a town.";
    SortBy => "Sortierung", "Sort by";
    FirstPage => "Zur ersten Seite", "First page";
    Breadcrumb => "Pfad", "Breadcrumb";
    CategoryNotFoundTitle => "Kategorie nicht gefunden", "Category not found";
    CategoryNotFoundText => "Diese Kategorie gibt es nicht. Alle Kategorien stehen auf der Startseite.", "This category does not exist. All categories are on the home page.";

    NewListing => "Anzeige aufgeben", "Post an ad";
    EditListing => "Anzeige bearbeiten", "Edit listing";
    Title => "Titel", "Title";
    TitleHint => "Kurz und klar: was es ist, Marke, Größe. 3 bis 100 Zeichen.", "Short and clear: what it is, brand, size. 3 to 100 characters.";
    Description => "Beschreibung", "Description";
    DescriptionHint => "Zustand, Maße, Abholung oder Versand. Höchstens 5000 Zeichen.", "Condition, size, pick-up or shipping. At most 5,000 characters.";
    Price => "Preis", "Price";
    PriceFixed => "Festpreis", "Fixed price";
    PriceNegotiable => "Verhandlungssache", "Negotiable";
    PriceFree => "Zu verschenken", "Free";
    PriceAmount => "Betrag in Euro", "Amount in euro";
    PriceAmountHint => "Bei Festpreis nötig, bei VB wahlweise (z. B. 25 oder 12,50), bei „Zu verschenken“ leer lassen.", "Needed for a fixed price, optional for negotiable (e.g. 25 or 12.50), empty for free.";
    Category => "Kategorie", "Category";
    ChooseCategory => "Bitte wählen …", "Please choose …";
    PostalCode => "Postleitzahl", "Postal code";
    City => "Ort", "Town";
    Place => "Ort", "Place";
    Images => "Bilder", "Images";
    Image => "Bild", "Image";
    AddImages => "Bilder hinzufügen", "Add images";
    ChooseImagesAgain => "Die ausgewählten Bilder wurden nicht gespeichert: bitte wähle sie noch einmal aus.", "The chosen images were not saved: please choose them again.";
    ImagesHint => "Bis zu {max} Bilder: JPEG, PNG oder WebP, je höchstens {mb} MB. Bildinformationen wie der Aufnahmeort werden entfernt.", "Up to {max} images: JPEG, PNG or WebP, at most {mb} MB each. Metadata such as where a photo was taken is removed.";
    RemoveImage => "Entfernen", "Remove";
    NoImages => "Keine Bilder.", "No images.";
    SaveListing => "Anzeige speichern", "Save listing";
    Saving => "Wird gespeichert …", "Saving …";
    Cancel => "Abbrechen", "Cancel";
    ListingSaved => "Die Anzeige ist gespeichert.", "The listing has been saved.";
    ListingNotFoundTitle => "Anzeige nicht gefunden", "Listing not found";
    ListingNotFoundText => "Diese Anzeige gibt es nicht (mehr). Vielleicht ist sie verkauft oder wurde gelöscht.", "This listing does not exist (any more). It may have been sold or deleted.";
    NotYourListing => "Nur wer die Anzeige aufgegeben hat, kann sie ändern.", "Only the person who posted this listing can change it.";
    PostedOn => "Eingestellt am", "Posted on";
    Seller => "Anbieter", "Seller";
    Watch => "Merken", "Save to watch list";
    Unwatch => "Nicht mehr merken", "Remove from watch list";
    LoginToWatch => "Anmelden, um die Anzeige zu merken", "Log in to save this listing";
    ManageListing => "Anzeige verwalten", "Manage listing";
    StatusNow => "Status", "Status";
    SoldTo => "Verkauft an", "Sold to";
    SoldToSomeoneElse => "Jemand anderen", "Someone else";
    SoldToHint => "Die Unterhaltung mit der Person, an die du verkaufst, bleibt offen; die anderen werden geschlossen.", "Your conversation with the person you sell to stays open; the others are closed.";
    Edit => "Bearbeiten", "Edit";
    Delete => "Löschen", "Delete";
    DeleteListing => "Anzeige löschen", "Delete listing";
    DeleteListingText => "Die Anzeige verschwindet für alle. Das lässt sich nicht rückgängig machen. Nur pausieren? Dann deaktiviere sie lieber.", "The listing disappears for everyone. This cannot be undone. Only pausing? Deactivate it instead.";
    DeleteListingConfirm => "Ja, diese Anzeige endgültig löschen.", "Yes, delete this listing for good.";
    ListingDeleted => "Die Anzeige wurde gelöscht.", "The listing has been deleted.";
    MyListings => "Meine Anzeigen", "My listings";
    NoOwnListings => "Du hast noch keine Anzeigen.", "You have no listings yet.";
    WatchList => "Merkliste", "Watch list";
    WatchListEmpty => "Deine Merkliste ist leer. Auf jeder Anzeige kannst du „Merken“ wählen.", "Your watch list is empty. Choose “Save to watch list” on any listing.";
    WatchListRemoved => "Diese gemerkten Anzeigen sind zurzeit nicht zu sehen (verkauft, deaktiviert oder gelöscht):", "These saved listings cannot be seen at the moment (sold, deactivated or deleted):";
    TakeOffList => "Von der Merkliste nehmen", "Take off the list";
    TheirListings => "Anzeigen", "Listings";
    NoTheirListings => "Zurzeit keine Anzeigen.", "No listings at the moment.";

    NotFoundTitle => "Seite nicht gefunden", "Page not found";
    NotFoundText => "Diese Seite gibt es nicht (mehr). Vielleicht hilft die Startseite weiter.", "This page does not exist (any more). The home page may help.";
    UserNotFound => "Dieses Mitglied gibt es nicht (mehr).", "This member does not exist (any more).";
    ForbiddenTitle => "Kein Zugriff", "No access";
    ForbiddenText => "Dieser Bereich ist Administratoren vorbehalten.", "This area is for administrators only.";
    ChatDeleteTitle => "Chat-Verlauf löschen", "Delete a chat transcript";
    ChatDeleteIntro => "Der Hilfe-Chat zeigt zu jedem Chat einen Code wie K7QM-4XPA-92TD. Mit diesem Code löschst du den gespeicherten Verlauf – ohne Konto. Groß- und Kleinschreibung und Bindestriche sind egal.", "The help chat shows a code like K7QM-4XPA-92TD for every chat. With this code you delete the stored transcript – no account needed. Upper or lower case and dashes do not matter.";
    ChatDeletePrivate => "Private Chats werden nie gespeichert; für sie gibt es nichts zu löschen.", "Private chats are never stored; there is nothing to delete for them.";
    ChatCodeLabel => "Chat-Code", "Chat code";
    ChatDeleteSubmit => "Verlauf löschen", "Delete transcript";
    ChatDeleteDone => "Erledigt. Falls zu diesem Code ein Verlauf gespeichert war, ist er jetzt gelöscht.", "Done. If a transcript was stored under this code, it is deleted now.";
    ChatDeleteWidgetHint => "Im Hilfe-Chat selbst kannst du auch alle Verläufe dieses Browsers auf einmal löschen.", "In the help chat itself you can also delete all transcripts of this browser at once.";
    BotAdminLink => "Hilfe-Chat: Statistik und Verläufe", "Help chat: statistics and transcripts";
    BotAdminTitle => "Hilfe-Chat", "Help chat";
    BotStatsHeading => "Statistik", "Statistics";
    BotStatsIntro => "Gezählt wird je Stunde (UTC), auch in privaten Chats und nach dem Löschen eines Verlaufs. Eine Zeile nennt nur ihre Stunde: keinen Chat, keinen Code, keine Person.", "Counted per hour (UTC), also in private chats and after a transcript is deleted. A row names only its hour: no chat, no code, no person.";
    BotStatsByHour => "Letzte 48 Stunden", "Last 48 hours";
    BotStatsByDay => "Letzte 30 Tage (Kalendertage in UTC)", "Last 30 days (calendar days in UTC)";
    BotStatsCsv => "Als CSV herunterladen", "Download as CSV";
    BotStatsTable => "Als Tabelle", "As a table";
    BotStatsPeriod => "Zeitraum (UTC)", "Period (UTC)";
    BotChatsStarted => "Chats begonnen", "Chats started";
    BotChatsEnded => "Chats beendet", "Chats ended";
    BotMessagesReceived => "Nachrichten empfangen", "Messages received";
    BotMessagesSent => "Antworten gesendet", "Replies sent";
    BotTranscriptsHeading => "Gespeicherte Verläufe", "Stored transcripts";
    BotTranscriptsIntro => "Nur Chats im Modus „gespeichert“. Besucher können ihren Verlauf jederzeit mit dem Chat-Code löschen.", "Only chats in the stored mode. Visitors can delete their transcript at any time with the chat code.";
    BotTranscriptsSearch => "Text oder Chat-Code", "Text or chat code";
    BotTranscriptsNone => "Keine gespeicherten Verläufe.", "No stored transcripts.";
    BotTranscriptsOlder => "Ältere Verläufe", "Older transcripts";
    BotTranscriptMessage => "Nachricht", "message";
    BotTranscriptMessages => "Nachrichten", "messages";
    BotTranscriptRunning => "läuft", "running";
    BotTranscriptVisitor => "Besucher", "Visitor";
    BotTranscriptBot => "Bot", "Bot";
    BotTranscriptDelete => "Verlauf löschen", "Delete transcript";
    BotTranscriptDeleted => "Der Verlauf ist gelöscht.", "The transcript is deleted.";
    BotTranscriptBack => "Zurück zur Übersicht", "Back to the overview";
    BotChatNotFound => "Diesen Verlauf gibt es nicht (mehr).", "This transcript does not exist (any more).";
    AdminTitle => "Verwaltung", "Administration";
    AdminEmpty => "Kontaktregeln legen fest, wer mit wem ein neues Gespräch beginnen darf.", "Contact rules decide who may start a new conversation with whom.";
    RulesSwitchHeading => "Kontaktbeschränkungen", "Interaction restrictions";
    RulesSwitchLabel => "Nur Regeln erlauben neue Gespräche", "Only rules allow new conversations";
    RulesSwitchOn => "Eingeschaltet: Ein neues Gespräch braucht eine Regel, die es erlaubt.", "On: a new conversation needs a rule that allows it.";
    RulesSwitchOff => "Ausgeschaltet: Jeder darf mit jedem ein Gespräch beginnen.", "Off: anyone may start a conversation with anyone.";
    RulesSwitchWarning => "Achtung: Eingeschaltet und ohne Regeln kann niemand mehr ein neues Gespräch beginnen. Bestehende Gespräche gehen weiter.", "Careful: switched on with no rules, nobody can start a new conversation. Existing conversations go on.";
    RulesSwitchSave => "Speichern", "Save";
    RulesHeading => "Regeln", "Rules";
    RulesNone => "Noch keine Regeln.", "No rules yet.";
    RuleCondition => "Bedingung", "Condition";
    RuleConditionHint => "z. B. any(hasTag(Berlin), hasTag(Munich))", "e.g. any(hasTag(Berlin), hasTag(Munich))";
    RuleOutcome => "Erreichbare Tags", "Tags they may reach";
    RuleOutcomeHint => "durch Komma oder Leerzeichen getrennt", "separated by commas or spaces";
    RuleDescription => "Beschreibung (optional)", "Description (optional)";
    RuleEdit => "Bearbeiten", "Edit";
    RuleDelete => "Löschen", "Delete";
    RuleNew => "Neue Regel", "New rule";
    RuleEditing => "Regel bearbeiten", "Edit rule";
    RuleSave => "Regel speichern", "Save rule";
    RuleSaved => "Die Regel ist gespeichert.", "The rule is saved.";
    RuleConditionError => "Die Bedingung ist nicht lesbar", "The condition cannot be read";
    RuleExpected => "erwartet", "expected";
    RuleFound => "gefunden", "found";
    RuleColumn => "Spalte", "column";
    PreviewHeading => "Vorschau", "Preview";
    PreviewIntro => "So wirken die Regeln mit deiner Änderung, berechnet im Browser aus den vergebenen Tag-Kombinationen (als wären die Beschränkungen eingeschaltet).", "What the rules would do with your change, computed in the browser from the tag sets in use (as if restrictions were on).";
    PreviewPairsBefore => "Erlaubte Paare jetzt", "Pairs allowed now";
    PreviewPairsAfter => "Erlaubte Paare danach", "Pairs allowed after";
    PreviewGained => "hinzu", "gained";
    PreviewLost => "weg", "lost";
    PreviewGroup => "Tags (Mitglieder)", "Tags (members)";
    PreviewNoTags => "keine Tags", "no tags";
    PreviewMatrixCaption => "Wer (Zeile) mit wem (Spalte) ein Gespräch beginnen darf", "Who (row) may start a conversation with whom (column)";
    PreviewMatrixPartial => "Die Tabelle zeigt die größten Gruppen; die Zahlen oben zählen alle. Gruppen in der Tabelle:", "The table shows the largest groups; the counts above cover all of them. Groups in the table:";
    ExplainHeading => "Warum darf A B nicht kontaktieren?", "Why can't A contact B?";
    ExplainFrom => "E-Mail von A", "A's e-mail";
    ExplainTo => "E-Mail von B", "B's e-mail";
    ExplainButton => "Erklären", "Explain";
    ExplainAllowedRule => "Erlaubt durch", "Allowed by";
    ExplainNoRule => "Nicht erlaubt: Keine Regel gilt für A und erreicht einen Tag von B.", "Not allowed: no rule holds for A and reaches one of B's tags.";
    ExplainSameUser => "Das ist dieselbe Person.", "That is the same person.";
    ExplainDisabled => "Erlaubt: Die Beschränkungen sind ausgeschaltet.", "Allowed: restrictions are off.";
    ExplainTags => "Tags", "Tags";
    TagsHeading => "Tags einer Person", "A person's tags";
    TagsEmail => "E-Mail", "E-mail";
    TagsList => "Tags (ersetzt alle)", "Tags (replaces all)";
    TagsSave => "Tags speichern", "Save tags";
    TagsSaved => "Gespeichert:", "Saved:";
    ClientsHeading => "API-Clients (Sync-API)", "API clients (Sync API)";
    ClientName => "Name", "Name";
    ClientScopes => "Berechtigungen", "Scopes";
    ClientCreate => "Client anlegen", "Create client";
    ClientRevoke => "Widerrufen", "Revoke";
    ClientRevoked => "widerrufen", "revoked";
    ClientTokenOnce => "Der Token wird nur dieses eine Mal gezeigt. Kopiere ihn jetzt:", "The token is shown this once only. Copy it now:";
    AuditHeading => "Protokoll der Änderungen", "Audit log";
    AuditEmpty => "Noch keine Änderungen.", "No changes yet.";
    AuditPages => "Seiten des Protokolls", "Audit log pages";
    AuditNewest => "Neueste Änderungen", "Newest changes";
    AuditOlder => "Ältere Änderungen", "Older changes";
    AuditWhen => "Wann", "When";
    AuditWho => "Wer", "Who";
    AuditWhat => "Was", "What";
    AuditBefore => "Vorher", "Before";
    AuditAfter => "Nachher", "After";
    BackHome => "Zur Startseite", "Back to the home page";

    ErrEmailTaken => "Für diese E-Mail-Adresse gibt es schon ein Konto. Melde dich an oder nimm eine andere Adresse.", "There is already an account for this e-mail address. Log in or use another address.";
    ErrWrongCredentials => "E-Mail-Adresse oder Passwort stimmt nicht.", "Wrong e-mail address or password.";
    ErrWrongPassword => "Das aktuelle Passwort stimmt nicht.", "The current password is wrong.";
    ErrNotLoggedIn => "Du bist nicht (mehr) angemeldet. Bitte melde dich an.", "You are not logged in (any more). Please log in.";
    ErrForbidden => "Das darfst du nicht.", "You are not allowed to do that.";
    ErrNotFound => "Nicht gefunden.", "Not found.";
    NavMessages => "Nachrichten", "Messages";
    InboxTitle => "Nachrichten", "Messages";
    InboxTabs => "Ansicht", "View";
    InboxActive => "Aktiv", "Active";
    InboxArchived => "Archiv", "Archived";
    InboxEmpty => "Hier ist noch nichts. Schreib einem Verkäufer über „Verkäufer kontaktieren“ auf einer Anzeige.", "Nothing here yet. Write to a seller with “Contact seller” on a listing.";
    InboxDirect => "Direkt", "Direct";
    YouPrefix => "Du:", "You:";
    Unread => "ungelesen", "unread";
    Muted => "stumm", "muted";
    DeletedUser => "ein gelöschtes Konto", "a deleted user";
    ConversationDeleted => "Die Unterhaltung ist für dich gelöscht.", "The conversation is deleted for you.";
    ConversationLeft => "Du hast die Unterhaltung verlassen.", "You left the conversation.";
    ConversationTitle => "Unterhaltung", "Conversation";
    ConversationWith => "Unterhaltung mit", "Conversation with";
    AboutListing => "Zur Anzeige", "About the listing";
    OlderMessages => "Ältere Nachrichten", "Older messages";
    NoMessagesYet => "Noch keine Nachrichten.", "No messages yet.";
    YourMessage => "Deine Nachricht", "Your message";
    MessageHint => "Enter sendet, Umschalt+Enter macht eine neue Zeile. Höchstens 4000 Zeichen.", "Enter sends, Shift+Enter makes a new line. At most 4,000 characters.";
    SendMessage => "Senden", "Send";
    Sending => "wird gesendet", "sending";
    Sent => "gesendet", "sent";
    ReadReceipt => "gelesen", "read";
    Typing => "schreibt …", "is typing …";
    ClosedDeactivated => "Die Anzeige wurde deaktiviert. Die Unterhaltung ist archiviert und nimmt keine Nachrichten mehr an.", "The listing was deactivated. The conversation is archived and takes no more messages.";
    ClosedSold => "Die Anzeige ist verkauft. Die Unterhaltung ist archiviert und nimmt keine Nachrichten mehr an.", "The listing is sold. The conversation is archived and takes no more messages.";
    ClosedDeleted => "Die Anzeige wurde gelöscht. Die Unterhaltung ist archiviert und nimmt keine Nachrichten mehr an.", "The listing was deleted. The conversation is archived and takes no more messages.";
    CannotMessageNotice => "Du kannst dieser Person keine Nachricht schreiben.", "You cannot message this person.";
    NobodyLeft => "Außer dir ist niemand mehr in dieser Unterhaltung.", "Nobody else is left in this conversation.";
    Actions => "Aktionen", "Actions";
    Archive => "Archivieren", "Archive";
    Unarchive => "Aus dem Archiv holen", "Move out of the archive";
    Mute => "Stummschalten", "Mute";
    Unmute => "Stummschaltung aufheben", "Unmute";
    DeleteForMe => "Für mich löschen", "Delete for me";
    DeleteForMeConfirm => "Ja, die Unterhaltung für mich löschen (die anderen behalten sie)", "Yes, delete the conversation for me (the others keep it)";
    Leave => "Unterhaltung verlassen", "Leave the conversation";
    Block => "Blockieren", "Block";
    Unblock => "Blockierung aufheben", "Unblock";
    NewMessagesLine => "Neue Nachrichten", "New messages";
    NewMessagesBelow => "Neue Nachrichten ↓", "New messages ↓";
    LastActiveWithin24Hours => "Zuletzt aktiv: in den letzten 24 Stunden", "Last active: in the last 24 hours";
    LastActiveWithinAWeek => "Zuletzt aktiv: in den letzten 7 Tagen", "Last active: in the last 7 days";
    LastActiveWithinAMonth => "Zuletzt aktiv: in den letzten 30 Tagen", "Last active: in the last 30 days";
    LastActiveLongerAgo => "Zuletzt aktiv: vor mehr als 30 Tagen", "Last active: more than 30 days ago";
    ReplyWithinAnHour => "Antwortet meist innerhalb einer Stunde", "Usually answers within an hour";
    ReplyWithinThreeHours => "Antwortet meist innerhalb von 3 Stunden", "Usually answers within 3 hours";
    ReplyWithinADay => "Antwortet meist innerhalb eines Tages", "Usually answers within a day";
    ReplyWithinDays => "Antwortet meist nach mehr als einem Tag", "Usually answers after more than a day";
    Privacy => "Privatsphäre", "Privacy";
    ShowLastActive => "Anderen zeigen, wann ich zuletzt aktiv war", "Show others when I was last active";
    ShowReplyTime => "Anderen zeigen, wie schnell ich meist antworte", "Show others how soon I usually answer";
    PrivacyHint => "Beides steht auf deinem Profil und in deinen Unterhaltungen, nur grob (z. B. „in den letzten 24 Stunden“).", "Both show on your profile and in your conversations, only roughly (e.g. \"in the last 24 hours\").";
    InboxSearchLabel => "In deinen Unterhaltungen suchen", "Search your conversations";
    InboxUnreadOnly => "Nur ungelesene", "Unread only";
    InboxNothingFound => "Keine Unterhaltung passt dazu.", "No conversation matches.";
    QuickRepliesLabel => "Schnellantworten", "Quick replies";
    QuickStillThere => "Ist der Artikel noch da?", "Is it still available?";
    QuickYesStillThere => "Ja, noch da.", "Yes, still available.";
    QuickSorryGone => "Leider schon weg.", "Sorry, it's gone.";
    NoticeAdded => "{by} hat {name} hinzugefügt", "{by} added {name}";
    NoticeYouAdded => "Du hast {name} hinzugefügt", "You added {name}";
    NoticeAddedYou => "{by} hat dich hinzugefügt", "{by} added you";
    NoticeLeft => "{name} hat die Unterhaltung verlassen", "{name} left the conversation";
    NoticeYouLeft => "Du hast die Unterhaltung verlassen", "You left the conversation";
    NoticePeopleChanged => "Wer dabei ist, hat sich geändert", "The people in it changed";
    YouBlocked => "Du hast {name} blockiert: ihr könnt euch keine Nachrichten schreiben.", "You blocked {name}: neither of you can write to the other.";
    ContactSeller => "Verkäufer kontaktieren", "Contact seller";
    ContactFirstMessage => "Deine Nachricht an den Verkäufer", "Your message to the seller";
    OpenConversation => "Unterhaltung öffnen", "Open conversation";
    MessagePerson => "Nachricht schreiben", "Message";
    RefusedByRulesShort => "Die Kontaktregeln erlauben es nicht", "Not allowed by the contact rules";
    RefusedShort => "Nicht möglich", "Not possible";
    ContactNotAllowedByRules => "Die Kontaktregeln dieses Marktplatzes erlauben dir kein neues Gespräch mit dieser Person.", "The contact rules of this marketplace do not let you start a conversation with this person.";
    LoginToContact => "Melde dich an, um dem Verkäufer zu schreiben.", "Log in to write to the seller.";
    SendDirectMessage => "Nachricht schreiben", "Write a message";
    AllowNotifications => "In diesem Browser erlauben", "Allow in this browser";
    AddPerson => "Person hinzufügen", "Add a person";
    AddPersonLabel => "Name oder Link zum Profil", "Name or link to their profile";
    AddPersonHint => "Die Person sieht die Unterhaltung ab jetzt; frühere Nachrichten sieht sie nicht.", "They see the conversation from now on; earlier messages stay hidden from them.";
    BlockedPeople => "Blockierte Personen", "Blocked people";
    BlockedNone => "Du hast niemanden blockiert.", "You have not blocked anyone.";
    ErrReadOnly => "Diese Unterhaltung ist archiviert und nimmt keine Nachrichten mehr an.", "This conversation is archived and takes no more messages.";
    ErrLinkExpired => "Dieser Link ist abgelaufen oder wurde schon benutzt.", "This link has expired or was used already.";
    ErrCannotMessage => "Du kannst dieser Person keine Nachricht schreiben.", "You cannot message this person.";
    ErrInternal => "Auf dem Server ist etwas schiefgegangen. Bitte versuch es gleich noch einmal.", "Something went wrong on the server. Please try again in a moment.";
    ErrRequest => "Die Anfrage ist fehlgeschlagen. Bist du online?", "The request failed. Are you online?";
    ErrorSummary => "Bitte prüfe die markierten Felder.", "Please check the marked fields.";
}

/// Who reads a page: in which language, and in which time zone times are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Locale {
    pub language: Language,
    pub zone: Zone,
}

/// Access to the reader's language and time zone for components. `Copy`, so closures
/// can hold it.
#[derive(Clone, Copy)]
pub struct I18n {
    from: From,
}

/// Where the locale comes from: the session, as the server renders a page (it may
/// change while the frame renders again), or fixed, in an island (the page's locale,
/// a prop). An island's views are built again when live data changes, long after the
/// island started: a plain value is there then; a signal of its own need not be.
///
/// The session's language and zone are two signals: a page re-renders what reads the
/// language when the language changes, not when only the zone does (the zone becomes
/// known when the session loads, and a re-rendered part of a page starts its loads
/// again).
#[derive(Clone, Copy)]
enum From {
    Session(Signal<Language>, Signal<Zone>),
    Fixed(Locale),
}

impl I18n {
    /// The language and zone the session says (the frame provides them to the page).
    pub fn from_session(language: Signal<Language>, zone: Signal<Zone>) -> Self {
        I18n { from: From::Session(language, zone) }
    }

    /// The text now (tracks the language when called inside a reactive scope).
    pub fn tr(self, msg: Msg) -> &'static str {
        msg.text(self.language())
    }

    /// A reactive text, for use directly in `view!`: `{i18n.t(Msg::LogIn)}`.
    pub fn t(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || msg.text(self.language())
    }

    /// The locale now (tracked). During server rendering a text registered by a frame
    /// that was already replaced (e.g. a `<Title>` from a first pass of the frame's
    /// `Transition`) may be read after its scope is gone: it then falls back to the
    /// default instead of panicking.
    pub fn locale(self) -> Locale {
        match self.from {
            From::Session(language, zone) => Locale {
                language: language.try_get().unwrap_or_default(),
                zone: zone.try_get().unwrap_or_default(),
            },
            From::Fixed(locale) => locale,
        }
    }

    /// The locale now, without tracking (for values computed once, and an island's
    /// prop).
    pub fn locale_untracked(self) -> Locale {
        match self.from {
            From::Session(language, zone) => Locale {
                language: language.try_get_untracked().unwrap_or_default(),
                zone: zone.try_get_untracked().unwrap_or_default(),
            },
            From::Fixed(locale) => locale,
        }
    }

    /// The language now (tracked; not the zone).
    pub fn language(self) -> Language {
        match self.from {
            From::Session(language, _) => language.try_get().unwrap_or_default(),
            From::Fixed(locale) => locale.language,
        }
    }

    /// The language now, without tracking (for values computed once).
    pub fn language_untracked(self) -> Language {
        self.locale_untracked().language
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Provides `locale` to an island and what is inside it. Islands get the locale as a
/// prop: in the browser they start on their own, without the page's context.
pub fn provide_locale(locale: Locale) -> I18n {
    let i18n = I18n { from: From::Fixed(locale) };
    provide_context(i18n);
    i18n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_differs_by_language_where_expected() {
        assert_eq!(Msg::LogOut.text(Language::De), "Abmelden");
        assert_eq!(Msg::LogOut.text(Language::En), "Log out");
    }
}

/// A text's `{placeholder}`s filled in one pass: what goes in is never read for
/// placeholders again (a name that reads "{by}" stays that name).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after
            .find('}')
            .and_then(|end| values.iter().find(|(k, _)| *k == &after[..end]).map(|v| (end, v.1)));
        match value {
            Some((end, v)) => {
                out.push_str(v);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod fill_tests {
    use super::fill;

    #[test]
    fn fills_each_placeholder_once_and_never_what_went_in() {
        let t = "{by} hat {name} hinzugefügt";
        assert_eq!(fill(t, &[("by", "Anna"), ("name", "Carl")]), "Anna hat Carl hinzugefügt");
        assert_eq!(fill(t, &[("by", "{name}"), ("name", "Carl")]), "{name} hat Carl hinzugefügt");
        assert_eq!(fill("{x} und {", &[("name", "Carl")]), "{x} und {");
    }
}

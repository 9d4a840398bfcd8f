//! The one translation layer: every text the UI shows comes from here, in German and
//! English. Adding a message means adding one line to `messages!` with both texts —
//! the compiler then refuses any missing translation.
//!
//! The language comes from the logged-in user's setting, otherwise from the browser's
//! `Accept-Language` (see `get_session`), and reaches components through [`I18n`].

use leptos::prelude::*;
use marktchat_shared::listing::{Category, ListingStatus, Price};
use marktchat_shared::password_strength::Weakness;
use marktchat_shared::search::{ResultCount, Sort};
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
    DescriptionAgain => "Die Beschreibung war zu lang, um sie zurückzugeben: bitte gib sie noch einmal ein.", "The description was too long to hand back: please enter it again.";
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
    BotStatsByDay => "Letzte 30 Tage", "Last 30 days";
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
    AddPersonHint => "Die Person sieht die Unterhaltung ab jetzt, mit allen bisherigen Nachrichten.", "They see the conversation from now on, with all earlier messages.";
    BlockedPeople => "Blockierte Personen", "Blocked people";
    BlockedNone => "Du hast niemanden blockiert.", "You have not blocked anyone.";
    ErrReadOnly => "Diese Unterhaltung ist archiviert und nimmt keine Nachrichten mehr an.", "This conversation is archived and takes no more messages.";
    ErrCannotMessage => "Du kannst dieser Person keine Nachricht schreiben.", "You cannot message this person.";
    ErrInternal => "Auf dem Server ist etwas schiefgegangen. Bitte versuch es gleich noch einmal.", "Something went wrong on the server. Please try again in a moment.";
    ErrRequest => "Die Anfrage ist fehlgeschlagen. Bist du online?", "The request failed. Are you online?";
    ErrorSummary => "Bitte prüfe die markierten Felder.", "Please check the marked fields.";
}

/// Access to the current language for components. `Copy`, so closures can hold it.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: Lang,
}

/// Where the language comes from: the session, as the server renders a page (it may
/// change while the frame renders again), or fixed, in an island (the page's language,
/// a prop). An island's views are built again when live data changes, long after the
/// island started: a plain value is there then; a signal of its own need not be.
#[derive(Clone, Copy)]
enum Lang {
    Session(Signal<Language>),
    Fixed(Language),
}

impl I18n {
    /// The language the session says (the frame provides it to the page).
    pub fn from_session(lang: Signal<Language>) -> Self {
        I18n { lang: Lang::Session(lang) }
    }

    /// The text now (tracks the language when called inside a reactive scope).
    pub fn tr(self, msg: Msg) -> &'static str {
        msg.text(self.language())
    }

    /// A reactive text, for use directly in `view!`: `{i18n.t(Msg::LogIn)}`.
    pub fn t(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || msg.text(self.language())
    }

    /// The language now (tracked). During server rendering a text registered by a
    /// frame that was already replaced (e.g. a `<Title>` from a first pass of the
    /// frame's `Transition`) may be read after its scope is gone: it then falls back
    /// to the default language instead of panicking.
    pub fn language(self) -> Language {
        match self.lang {
            Lang::Session(lang) => lang.try_get().unwrap_or_default(),
            Lang::Fixed(lang) => lang,
        }
    }

    /// The language now, without tracking (for values computed once).
    pub fn language_untracked(self) -> Language {
        match self.lang {
            Lang::Session(lang) => lang.try_get_untracked().unwrap_or_default(),
            Lang::Fixed(lang) => lang,
        }
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Provides `lang` to an island and what is inside it. Islands get the language as a
/// prop: in the browser they start on their own, without the page's context.
pub fn provide_language(lang: Language) -> I18n {
    let i18n = I18n { lang: Lang::Fixed(lang) };
    provide_context(i18n);
    i18n
}

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
        E::Internal => Msg::ErrInternal.text(lang).into(),
        E::Request(_) => Msg::ErrRequest.text(lang).into(),
    }
}

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

/// A short date: "23.11.2026" / "23 Nov 2026".
pub fn short_date(lang: Language, ts: Timestamp) -> String {
    let Date { year, month, day } = ts.date();
    match lang {
        Language::De => format!("{day:02}.{month:02}.{year}"),
        Language::En => {
            let idx = (month as usize).saturating_sub(1).min(11);
            format!("{day} {} {year}", &MONTHS_EN[idx][..3])
        }
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

/// A long date: "23. November 2026" / "23 November 2026".
pub fn long_date(lang: Language, ts: Timestamp) -> String {
    let Date { year, month, day } = ts.date();
    let idx = (month as usize).saturating_sub(1).min(11);
    match lang {
        Language::De => format!("{day}. {} {year}", MONTHS_DE[idx]),
        Language::En => format!("{day} {} {year}", MONTHS_EN[idx]),
    }
}

/// The time of day, "14:05" (UTC, as the server and the browser agree on it).
pub fn clock_time(ts: Timestamp) -> String {
    let minutes = ts.0.div_euclid(60_000);
    let (h, m) = (minutes.div_euclid(60).rem_euclid(24), minutes.rem_euclid(60));
    format!("{h:02}:{m:02}")
}

/// Date and time: "23.11.2026 14:05" / "23 Nov 2026 14:05".
pub fn clock_or_date(lang: Language, ts: Timestamp) -> String {
    format!("{} {}", short_date(lang, ts), clock_time(ts))
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
    fn dates_are_localised() {
        let ts = Timestamp(1_795_478_399_999);
        assert_eq!(long_date(Language::De, ts), "23. November 2026");
        assert_eq!(long_date(Language::En, ts), "23 November 2026");
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

    #[test]
    fn rate_limit_message_rounds_up_to_minutes() {
        let e = crate::error::AppError::TooManyAttempts { retry_after_secs: 61 };
        assert!(error_text(Language::En, &e).contains("2 minute"));
    }
}

//! The words the reader of dialog messages looks for, folded as [`fold`] leaves
//! them ("für" is "fur", "Nähe" is "nahe"). Several words in one entry are matched
//! as a phrase, on whole words. Kept here as plain lists, so adding a phrasing is
//! adding a word.
//!
//! [`fold`]: crate::search::fold

/// Words before a number that make it a price ("bis", "for less than").
pub(super) const PRICE_CUES: &[&str] = &[
    "bis", "bis zu", "bis max", "bis maximal", "bis hochstens", "bis hoechstens", "unter", "max",
    "maximal", "maximum", "hochstens", "hoechstens", "hochstpreis", "preis", "preis bis",
    "preis max", "preisgrenze", "budget", "budget bis", "mein budget ist", "limit", "fur",
    "fur max", "fur maximal", "fur hochstens", "fur unter", "fur weniger als", "fur bis zu", "um",
    "um die", "so um die", "ca", "circa", "zirka", "etwa", "rund", "nicht mehr als", "nicht uber",
    "weniger als", "gunstiger als", "billiger als", "under", "below", "up to", "at most",
    "max price", "no more than", "not more than", "less than", "for less than", "for under",
    "for max", "for at most", "for no more than", "for up to", "cheaper than", "price", "budget of",
    "my budget is", "for", "around", "about", "approx", "approximately",
];

/// Of [`PRICE_CUES`], those that make a number a price only at a clause's end ("ein
/// Rad für 50", but not "Kinderwagen für 2 Kinder").
pub(super) const VAGUE_CUES: &[&str] = &[
    "fur", "um", "um die", "so um die", "ca", "circa", "zirka", "etwa", "rund", "for", "around",
    "about", "approx", "approximately",
];

/// Price words that end a town's name ("Berlin bis morgen").
pub(super) const NOT_IN_TOWN: &[&str] =
    &["bis", "unter", "max", "maximal", "hochstens", "under", "below", "up", "preis", "price"];

/// Words that say a place follows ("im Raum München", "near Munich", "PLZ 80331").
pub(super) const PLACE_CUES: &[&str] = &[
    "in", "im", "bei", "um", "nahe", "naehe", "nahe bei", "nahe von", "rund um", "in und um",
    "im raum", "raum", "im grossraum", "grossraum", "im umkreis", "im umkreis von", "umkreis",
    "umkreis von", "in der nahe", "in der naehe", "in der nahe von", "in der naehe von",
    "in der gegend", "in der gegend von", "in der gegend um", "plz", "postleitzahl", "near",
    "around", "close to", "in the area of", "in the area around", "zip", "zip code", "postcode",
    "postal code",
];

/// Words after a town that widen it ("München und Umgebung"): the place filter
/// cannot, so they go.
pub(super) const PLACE_TAILS: &[&str] = &[
    "und umgebung", "umgebung", "und umland", "and surroundings", "and around", "and nearby",
    "or nearby", "nearby", "area",
];

/// Small words inside a town's name.
pub(super) const TOWN_LINKS: &[&str] = &["am", "an", "der", "im", "ob", "vor", "upon"];

/// Words that, right after "in", say how the thing is, not where ("in grau", "in
/// gutem Zustand", "in size 30").
pub(super) const NOT_PLACE: &[&str] = &[
    "rot", "rote", "roten", "blau", "blaue", "blauen", "grun", "grune", "grunen", "gelb", "schwarz",
    "schwarze", "schwarzen", "weiss", "weisse", "weissen", "grau", "graue", "grauen", "braun",
    "beige", "rosa", "pink", "lila", "orange", "silber", "gold", "bunt", "red", "blue", "green",
    "yellow", "black", "white", "grey", "gray", "brown", "purple", "silver", "gutem", "sehr", "top",
    "ordnung", "neuem", "neuwertigem", "einwandfreiem", "perfektem", "grosse", "grossen", "farbe",
    "zustand", "size", "color", "colour", "condition", "good", "great", "perfect", "excellent",
    "mint", "new", "stock", "holz", "leder", "wood", "leather", "xl", "xxl",
];

/// "Any price" inside a sentence.
pub(super) const PRICE_ANY: &[&str] = &[
    "preis egal", "preis ist egal", "der preis ist egal", "egal wie teuer", "egal was es kostet",
    "ohne limit", "ohne preislimit", "any price", "no price limit", "price doesn t matter",
    "price does not matter",
];

/// "Anywhere" inside a sentence.
pub(super) const PLACE_ANY: &[&str] = &[
    "egal wo", "uberall", "ueberall", "irgendwo", "deutschlandweit", "bundesweit", "anywhere",
    "everywhere", "wherever",
];

/// Answers that mean "no limit" / "anywhere" (either language), as a whole answer.
pub(super) const ANY: &[&str] = &[
    "egal", "beliebig", "ueberall", "uberall", "keine", "kein limit", "keine grenze", "any",
    "anywhere", "whatever", "no limit", "none", "don t care", "doesn t matter",
];

/// Words that ask for something: a message with one is a search request.
pub(super) const REQUEST: &[&str] = &[
    "suche", "suchen", "sucht", "gesucht", "brauche", "benotige", "gibt es", "gibt s", "gibts",
    "habt ihr", "hast du", "haben sie", "hat jemand", "verkauft jemand", "kaufen", "looking for",
    "searching for", "i need", "do you have", "have you got", "is there", "are there",
    "anyone selling", "want to buy",
];

/// Greetings, politeness and yes/no: they answer no question ("ok, 50", "Berlin
/// bitte").
pub(super) const TALK: &[&str] = &[
    "hallo", "hi", "hey", "moin", "servus", "ok", "okay", "ja", "jo", "yes", "yeah", "bitte",
    "please", "pls", "danke", "thanks", "thank", "also", "dann", "so", "well", "hmm", "na", "gern",
    "gerne", "vielleicht", "maybe", "dringend", "urgent", "urgently", "asap",
];

/// Words that are no part of an item, so the item is what is left to search for:
/// asking ("ich suche", "gibt es", "I'm looking for", "do you have"), articles and
/// pronouns, small linking words ("für", "mit", "und", "with"), words for "a
/// listing" or "something", "egal"/"any", and what is left of a where or a price
/// that did not make one ("in", "near", "bis", "Zustand" of "in gutem Zustand").
/// Search needs every word it is given in a listing, and these are in few or in all.
pub(super) const FILLER: &[&str] = &[
    // German: asking
    "ich", "du", "wir", "ihr", "er", "sie", "es", "man", "mir", "mich", "dir", "uns", "suche",
    "suchen", "sucht", "such", "gesucht", "brauche", "brauchen", "braucht", "benotige", "benotigen",
    "hatte", "mochte", "mochten", "will", "wollte", "wurde", "kaufen", "kaufe", "finden",
    "verkauft", "verkaufen", "abzugeben", "gibt", "gibts", "gibt s", "gabe", "habt", "hast", "hat",
    "habe", "haben", "bin", "ist", "sind", "jemand", "jemanden", "irgendwer", "irgendjemand", "wer",
    "wo",
    // German: articles, pronouns, small words
    "ein", "eine", "einen", "einem", "einer", "eines", "der", "die", "das", "den", "dem", "des",
    "mein", "meine", "meinen", "meinem", "meiner", "dein", "deine", "zu", "fur", "mit", "und",
    "oder", "von", "aus", "nach", "auf", "an", "am", "bei", "in", "im", "um", "vom", "zum", "zur",
    "als", "auch", "noch", "mal", "denn", "doch", "da", "hier", "nahe", "naehe", "etwas", "was",
    "irgendwas", "irgendein", "irgendeine", "irgendeinen", "welche", "welchen", "welches", "paar",
    "anzeige", "anzeigen", "inserat", "angebot", "angebote", "egal", "beliebig", "bis", "zustand",
    // English: asking
    "i", "i m", "im", "i d", "me", "my", "we", "you", "your", "it", "looking", "look", "search",
    "searching", "find", "need", "want", "wanna", "would", "like", "buy", "get", "sell", "selling",
    "sale", "have", "has", "got", "do", "does", "is", "are", "am", "be", "there", "here", "anyone",
    "anybody", "someone", "somebody", "can", "could", "show", "help",
    // English: articles, pronouns, small words
    "a", "an", "the", "some", "any", "for", "with", "of", "and", "or", "to", "in", "on", "at",
    "near", "around", "something", "anything", "listing", "listings", "ad", "ads", "offer",
    "offers", "whatever", "condition",
];

/// Adjectives about price, wear or liking ("günstige", "gebrauchtes", "cheap", "used"):
/// every second-hand listing is one, few say so, and price is its own question.
/// Matched with their German endings ("günstig", "günstige", "günstigen", …).
pub(super) const VAGUE_STEMS: &[&str] = &[
    "gunstig", "billig", "preiswert", "gebraucht", "gut", "schon", "cheap", "cheaper", "cheapest",
    "affordable", "inexpensive", "used", "secondhand", "good", "nice", "decent",
];

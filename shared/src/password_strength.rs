//! How many guesses a password would take an attacker who knows how people choose
//! passwords: the idea of zxcvbn (Dropbox), small enough to run in the browser on every
//! keystroke. The zxcvbn crate itself brings two regex engines and 800 KB of English
//! word lists into the WASM bundle; this keeps the parts that catch what people type
//! here (common passwords in German and English, sequences, repeats, keyboard rows,
//! years and dates, the person's own e-mail address) and estimates the rest as random.
//!
//! A password is cut into pieces, each guessed its cheapest way (a listed word by its
//! rank, "abcdef" as a sequence, "qwertz" as a keyboard row, anything else character
//! by character); the estimate is the cheapest cut, with a penalty for the number of
//! pieces (an attacker does not know where they join).

use serde::{Deserialize, Serialize};

/// Below this many guesses a password is refused: about 1 day of offline guessing
/// against a slow hash, zxcvbn's score 3.
pub const MIN_GUESSES_LOG10: f64 = 8.0;

/// Why a password is easy to guess: what the message tells the person to avoid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weakness {
    /// Mostly a password or word on the lists attackers try first.
    Common,
    /// Mostly a run like "abcdef" or "13579".
    Sequence,
    /// Mostly a repeat like "aaaa" or "abcabc".
    Repeat,
    /// Mostly a row of keys like "qwertz" or "asdf".
    Keyboard,
    /// Mostly a year or a date.
    Date,
    /// Mostly the person's own e-mail address or name.
    Personal,
    /// Short pieces that are each easy to guess.
    Guessable,
}

/// What a piece of the password was taken to be.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Word(Weakness),
    Sequence,
    Repeat,
    Keyboard,
    Date,
    Random,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    log10: f64,
    kind: Kind,
}

/// The password's estimated guesses (log10) and, when it is under the limit, what makes
/// it weak. `personal` are words of the account (its e-mail address, say).
pub fn estimate(password: &str, personal: &[&str]) -> (f64, Option<Weakness>) {
    let chars: Vec<char> = password.chars().collect();
    let lower: Vec<char> = password.to_lowercase().chars().collect();
    if lower.len() != chars.len() {
        // Lowercasing changed the length (rare letters): judge it as typed.
        return judge(&chars, &chars, personal, true);
    }
    judge(&chars, &lower, personal, true)
}

/// `with_repeats` is off for the unit of a repeat, which is judged by the rest.
fn judge(
    chars: &[char],
    lower: &[char],
    personal: &[&str],
    with_repeats: bool,
) -> (f64, Option<Weakness>) {
    let n = chars.len();
    if n == 0 {
        return (0.0, Some(Weakness::Guessable));
    }
    let mut pieces = Vec::new();
    words(chars, lower, personal, &mut pieces);
    sequences(lower, &mut pieces);
    if with_repeats {
        repeats(lower, personal, &mut pieces);
    }
    keyboard_rows(lower, &mut pieces);
    dates(lower, &mut pieces);
    let (log10, cut) = cheapest_cut(n, &pieces);
    if log10 >= MIN_GUESSES_LOG10 {
        return (log10, None);
    }
    // The weakness is the kind that covers most of the password.
    let mut covered: Vec<(Weakness, usize)> = Vec::new();
    for p in &cut {
        let w = match p.kind {
            Kind::Word(w) => w,
            Kind::Sequence => Weakness::Sequence,
            Kind::Repeat => Weakness::Repeat,
            Kind::Keyboard => Weakness::Keyboard,
            Kind::Date => Weakness::Date,
            Kind::Random => continue,
        };
        match covered.iter_mut().find(|(k, _)| *k == w) {
            Some((_, len)) => *len += p.end - p.start,
            None => covered.push((w, p.end - p.start)),
        }
    }
    let most = covered.into_iter().max_by_key(|(_, len)| *len).map(|(w, _)| w);
    (log10, Some(most.unwrap_or(Weakness::Guessable)))
}

/// The cheapest way to cut `0..n` into pieces, random characters filling the gaps:
/// `log10(product of guesses × pieces!)`, zxcvbn's way of charging for each join.
fn cheapest_cut(n: usize, pieces: &[Piece]) -> (f64, Vec<Piece>) {
    // best[j][l]: the cheapest cover of 0..j with l pieces, and how it got there.
    let max_l = n;
    let mut best = vec![vec![f64::INFINITY; max_l + 1]; n + 1];
    let mut from: Vec<Vec<Option<Piece>>> = vec![vec![None; max_l + 1]; n + 1];
    best[0][0] = 0.0;
    let mut ending: Vec<Vec<Piece>> = vec![Vec::new(); n + 1];
    for p in pieces {
        ending[p.end].push(*p);
    }
    for end in 1..=n {
        // A run of random characters: 10 guesses a character, as zxcvbn counts.
        for start in 0..end {
            ending[end].push(Piece { start, end, log10: (end - start) as f64, kind: Kind::Random });
        }
        for p in &ending[end] {
            for l in 0..max_l {
                let before = best[p.start][l];
                if before.is_finite() && before + p.log10 < best[end][l + 1] {
                    best[end][l + 1] = before + p.log10;
                    from[end][l + 1] = Some(*p);
                }
            }
        }
    }
    let mut total = f64::INFINITY;
    let mut pieces_used = 0;
    let mut factorial = 0.0;
    for (l, covered) in best[n].iter().enumerate().skip(1) {
        factorial += (l as f64).log10();
        let cost = covered + factorial;
        if cost < total {
            total = cost;
            pieces_used = l;
        }
    }
    let mut cut = Vec::with_capacity(pieces_used);
    let (mut at, mut l) = (n, pieces_used);
    while l > 0 {
        let Some(p) = from[at][l] else { break };
        cut.push(p);
        at = p.start;
        l -= 1;
    }
    cut.reverse();
    (total, cut)
}

/// Letters people write as digits or signs ("p@ssw0rd").
fn unleet(c: char) -> char {
    match c {
        '4' | '@' => 'a',
        '3' => 'e',
        '1' | '!' | '|' => 'i',
        '0' => 'o',
        '$' | '5' => 's',
        '7' | '+' => 't',
        _ => c,
    }
}

/// Listed words and the person's own words anywhere in the password, also written with
/// digits for letters, capitalised or backwards.
fn words(chars: &[char], lower: &[char], personal: &[&str], out: &mut Vec<Piece>) {
    let plain: Vec<char> = lower.iter().map(|&c| unleet(c)).collect();
    let reversed: Vec<char> = lower.iter().rev().copied().collect();
    let n = lower.len();
    let mut try_word = |word: &str, rank: usize, weakness: Weakness| {
        let w: Vec<char> = word.chars().collect();
        if w.len() < 3 || w.len() > n {
            return;
        }
        for start in 0..=n - w.len() {
            let end = start + w.len();
            let mut log10 = (rank as f64).log10();
            if lower[start..end] == w[..] {
                // as listed
            } else if plain[start..end] == w[..] {
                log10 += 1.0; // which letters were swapped
            } else if reversed[n - end..n - start] == w[..] {
                log10 += 0.3;
            } else {
                continue;
            }
            let capitals = chars[start..end].iter().filter(|c| c.is_uppercase()).count();
            if capitals > 0 {
                // First letter or all capitals: twice; anything else: more.
                let first_only = capitals == 1 && chars[start].is_uppercase();
                log10 += if first_only || capitals == w.len() { 0.3 } else { 1.0 };
            }
            out.push(Piece { start, end, log10, kind: Kind::Word(weakness) });
        }
    };
    for (rank, word) in COMMON.iter().enumerate() {
        try_word(word, rank + 1, Weakness::Common);
    }
    for word in personal {
        let word = word.to_lowercase();
        try_word(&word, 1, Weakness::Personal);
        for part in word.split(|c: char| !c.is_alphanumeric()).filter(|p| p.chars().count() >= 3) {
            try_word(part, 2, Weakness::Personal);
        }
    }
}

/// Runs with a constant step: "abcdef", "fedcba", "13579", "2468".
fn sequences(lower: &[char], out: &mut Vec<Piece>) {
    let n = lower.len();
    let mut start = 0;
    while start + 2 < n {
        let step = lower[start + 1] as i64 - lower[start] as i64;
        let same_class = |a: char, b: char| {
            (a.is_ascii_digit() && b.is_ascii_digit())
                || (a.is_ascii_lowercase() && b.is_ascii_lowercase())
        };
        let mut end = start + 1;
        while end < n
            && (1..=2).contains(&step.abs())
            && lower[end] as i64 - lower[end - 1] as i64 == step
            && same_class(lower[end], lower[end - 1])
        {
            end += 1;
        }
        if end - start >= 3 {
            let first = lower[start];
            let base: f64 = if matches!(first, 'a' | 'z' | '0' | '1' | '9') {
                4.0
            } else if first.is_ascii_digit() {
                10.0
            } else {
                26.0
            };
            let direction = if step < 0 { 2.0 } else { 1.0 };
            let log10 = (base * (end - start) as f64 * direction).log10();
            out.push(Piece { start, end, log10, kind: Kind::Sequence });
            start = end - 1;
        } else {
            start += 1;
        }
    }
}

/// A short unit said again: "aaaa", "abcabc", "hallohallo" (as cheap as the unit,
/// times the number of times).
fn repeats(lower: &[char], personal: &[&str], out: &mut Vec<Piece>) {
    let n = lower.len();
    // Each unit judged once (a long repeat has the same unit at many places).
    let mut units: std::collections::HashMap<&[char], f64> = std::collections::HashMap::new();
    for start in 0..n {
        for unit in 1..=(n - start) / 2 {
            let mut times = 1;
            while start + (times + 1) * unit <= n
                && lower[start + times * unit..start + (times + 1) * unit]
                    == lower[start..start + unit]
            {
                times += 1;
            }
            let end = start + times * unit;
            if times >= 2 && end - start >= 3 {
                let unit_chars = &lower[start..start + unit];
                let unit_log10 = *units
                    .entry(unit_chars)
                    .or_insert_with(|| judge(unit_chars, unit_chars, personal, false).0);
                let log10 = unit_log10 + (times as f64).log10();
                out.push(Piece { start, end, log10, kind: Kind::Repeat });
            }
        }
    }
}

/// Rows of a German or English keyboard, either way: "qwertz", "asdfgh", "yxcvbnm".
fn keyboard_rows(lower: &[char], out: &mut Vec<Piece>) {
    const ROWS: &[&str] = &[
        "1234567890ß",
        "qwertzuiopü",
        "qwertyuiop",
        "asdfghjklöä",
        "<yxcvbnm,.-",
        "zxcvbnm,./",
        "1qaz2wsx3edc4rfv5tgb6zhn7ujm8ik9ol0p",
        "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    ];
    let n = lower.len();
    for row in ROWS {
        let row: Vec<char> = row.chars().collect();
        for forward in [true, false] {
            let row: Vec<char> =
                if forward { row.clone() } else { row.iter().rev().copied().collect() };
            for start in 0..n {
                let Some(at) = row.iter().position(|&c| c == lower[start]) else { continue };
                let mut len = 1;
                while start + len < n && at + len < row.len() && lower[start + len] == row[at + len]
                {
                    len += 1;
                }
                if len >= 4 {
                    // rows × directions × starting keys × length
                    let log10 = (8.0 * 2.0 * 11.0 * len as f64).log10();
                    out.push(Piece { start, end: start + len, log10, kind: Kind::Keyboard });
                }
            }
        }
    }
}

/// Years 1900–2039 and dates as digits ("24121990", "241290", "1990").
fn dates(lower: &[char], out: &mut Vec<Piece>) {
    let n = lower.len();
    let digits = |s: usize, len: usize| -> Option<u32> {
        let t: String = lower.get(s..s + len)?.iter().collect();
        t.chars().all(|c| c.is_ascii_digit()).then(|| t.parse().ok()).flatten()
    };
    for start in 0..n {
        if let Some(year) = digits(start, 4) {
            if (1900..=2039).contains(&year) {
                out.push(Piece { start, end: start + 4, log10: 140f64.log10(), kind: Kind::Date });
            }
        }
        if let Some(end) = written_date(lower, start) {
            let log10 = (366.0f64 * 140.0 * 3.0).log10();
            out.push(Piece { start, end, log10, kind: Kind::Date });
        }
        for len in [6, 8] {
            if let Some(d) = digits(start, len) {
                let (day, month) =
                    (d / 10u32.pow(len as u32 - 2), d / 10u32.pow(len as u32 - 4) % 100);
                if (1..=31).contains(&day) && (1..=12).contains(&month) {
                    let log10 = (366.0f64 * if len == 8 { 140.0 } else { 100.0 }).log10();
                    out.push(Piece { start, end: start + len, log10, kind: Kind::Date });
                }
            }
        }
    }
}

/// A date written with separators from `start` ("24.12.1990", "1/2/90"): its end.
fn written_date(lower: &[char], start: usize) -> Option<usize> {
    let number = |at: usize, min: usize, max: usize| -> Option<(u32, usize)> {
        let len = lower[at.min(lower.len())..]
            .iter()
            .take(max)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if len < min {
            return None;
        }
        let n = lower[at..at + len].iter().collect::<String>().parse().ok()?;
        Some((n, at + len))
    };
    let (day, at) = number(start, 1, 2)?;
    let sep = *lower.get(at).filter(|c| matches!(c, '.' | '/' | '-'))?;
    let (month, at) = number(at + 1, 1, 2)?;
    if lower.get(at) != Some(&sep) {
        return None;
    }
    let (_, end) = number(at + 1, 2, 4).filter(|(_, end)| matches!(end - at - 1, 2 | 4))?;
    ((1..=31).contains(&day) && (1..=12).contains(&month)).then_some(end)
}

/// The passwords and words attackers try first, most common first: from the published
/// lists of leaked passwords, German and English, cut to what is 3 letters or longer.
const COMMON: &[&str] = &[
    "123456",
    "password",
    "passwort",
    "12345678",
    "qwerty",
    "123456789",
    "12345",
    "1234",
    "111111",
    "1234567",
    "hallo",
    "dragon",
    "123123",
    "baseball",
    "abc123",
    "football",
    "monkey",
    "letmein",
    "shadow",
    "master",
    "666666",
    "qwertz",
    "123321",
    "mustang",
    "1234567890",
    "michael",
    "654321",
    "superman",
    "1qaz2wsx",
    "7777777",
    "121212",
    "000000",
    "qazwsx",
    "123qwe",
    "killer",
    "trustno1",
    "jordan",
    "jennifer",
    "zxcvbnm",
    "asdfgh",
    "hunter",
    "buster",
    "soccer",
    "harley",
    "batman",
    "andrew",
    "tigger",
    "sunshine",
    "iloveyou",
    "fuckme",
    "2000",
    "charlie",
    "robert",
    "thomas",
    "hockey",
    "ranger",
    "daniel",
    "starwars",
    "klaster",
    "112233",
    "george",
    "computer",
    "michelle",
    "jessica",
    "pepper",
    "1111",
    "zxcvbn",
    "555555",
    "11111111",
    "131313",
    "freedom",
    "777777",
    "pass",
    "maggie",
    "159753",
    "aaaaaa",
    "ginger",
    "princess",
    "joshua",
    "cheese",
    "amanda",
    "summer",
    "love",
    "ashley",
    "nicole",
    "chelsea",
    "biteme",
    "matthew",
    "access",
    "yankees",
    "987654321",
    "dallas",
    "austin",
    "thunder",
    "taylor",
    "matrix",
    "admin",
    "welcome",
    "login",
    "secret",
    "geheim",
    "schatz",
    "schatzi",
    "sommer",
    "winter",
    "fruehling",
    "herbst",
    "sonne",
    "sonnenschein",
    "blume",
    "liebe",
    "ichliebedich",
    "iloveu",
    "engel",
    "mausi",
    "hase",
    "hasi",
    "baerchen",
    "katze",
    "hund",
    "pferd",
    "fussball",
    "schalke",
    "schalke04",
    "bayern",
    "fcbayern",
    "borussia",
    "dortmund",
    "bvb09",
    "werder",
    "hamburg",
    "berlin",
    "muenchen",
    "munchen",
    "koeln",
    "frankfurt",
    "stuttgart",
    "deutschland",
    "germany",
    "europa",
    "test",
    "testtest",
    "test123",
    "willkommen",
    "passwort1",
    "password1",
    "qwertz123",
    "qwerty123",
    "asdf",
    "asdfasdf",
    "yxcvbnm",
    "ficken",
    "arschloch",
    "scheisse",
    "mutter",
    "vater",
    "mama",
    "papa",
    "familie",
    "kinder",
    "oma",
    "opa",
    "schule",
    "arbeit",
    "urlaub",
    "internet",
    "handy",
    "telefon",
    "google",
    "facebook",
    "ebay",
    "amazon",
    "apple",
    "samsung",
    "windows",
    "microsoft",
    "linux",
    "marktchat",
    "kleinanzeigen",
    "anzeige",
    "markt",
    "chat",
    "hallo123",
    "hallihallo",
    "moin",
    "servus",
    "tschuess",
    "danke",
    "bitte",
    "nichts",
    "keins",
    "kennwort",
    "zugang",
    "benutzer",
    "user",
    "root",
    "administrator",
    "gast",
    "guest",
    "default",
    "changeme",
    "sicher",
    "sicherheit",
    "passe",
    "schluessel",
    "mercedes",
    "porsche",
    "ferrari",
    "audi",
    "volkswagen",
    "golf",
    "opel",
    "bmw",
    "auto",
    "fahrrad",
    "motorrad",
    "pokemon",
    "minecraft",
    "naruto",
    "blink182",
    "metallica",
    "nirvana",
    "eminem",
    "michael1",
    "jesus",
    "christ",
    "gott",
    "teufel",
    "himmel",
    "hoelle",
    "stern",
    "mond",
    "erde",
    "wasser",
    "feuer",
    "luft",
    "schnee",
    "regen",
    "sturm",
    "baum",
    "wald",
    "berg",
    "meer",
    "strand",
    "insel",
    "schiff",
    "boot",
    "flugzeug",
    "zug",
    "bahn",
    "musik",
    "gitarre",
    "klavier",
    "tanzen",
    "lachen",
    "freund",
    "freundin",
    "freunde",
    "schatzimausi",
    "prinzessin",
    "prinz",
    "koenig",
    "koenigin",
    "ritter",
    "drache",
    "zauber",
    "magie",
    "hexe",
    "einhorn",
    "pirat",
    "superstar",
    "star",
    "kiss",
    "kuss",
    "herz",
    "herzchen",
    "maus",
    "baby",
    "babygirl",
    "lovely",
    "lover",
    "angel",
    "devil",
    "heaven",
    "hello",
    "hello123",
    "whatever",
    "qwert",
    "trustme",
    "nothing",
    "secret1",
    "money",
    "dollar",
    "euro",
    "geld",
    "reich",
    "gewinn",
    "glueck",
    "gluecklich",
    "januar",
    "februar",
    "maerz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "january",
    "february",
    "march",
    "june",
    "july",
    "october",
    "december",
    "monday",
    "friday",
    "sunday",
    "peter",
    "stefan",
    "andreas",
    "thomas1",
    "alexander",
    "christian",
    "markus",
    "martin",
    "michael12",
    "tobias",
    "sebastian",
    "julia",
    "anna",
    "sarah",
    "laura",
    "lisa",
    "lena",
    "maria",
    "sabine",
    "nicole1",
    "sandra",
    "andrea",
    "claudia",
    "susanne",
    "petra",
    "stefanie",
    "katharina",
    "jan",
    "tim",
    "max",
    "paul",
    "lukas",
    "leon",
    "felix",
    "jonas",
    "ben",
    "elias",
    "emma",
    "mia",
    "hannah",
    "sofia",
    "lea",
    "marie",
    "schmidt",
    "mueller",
    "schneider",
    "fischer",
    "weber",
    "meyer",
    "wagner",
    "becker",
    "schulz",
    "hoffmann",
    "abcdef",
    "abcdefg",
    "abcdefgh",
    "qwertzu",
    "qwertzui",
    "asdfgh",
    "asdfghjkl",
    "yxcvb",
    "wert",
    "start",
    "start123",
    "neu",
    "neustart",
    "zuhause",
    "daheim",
    "heimat",
    "kaffee",
    "bier",
    "pizza",
    "schokolade",
    "banane",
    "apfel",
    "erdbeere",
    "tomate",
    "kartoffel",
    "schwarz",
    "weiss",
    "rot",
    "blau",
    "gruen",
    "gelb",
    "orange",
    "lila",
    "rosa",
    "black",
    "white",
    "red",
    "blue",
    "green",
    "yellow",
    "purple",
    "silver",
    "golden",
    "tiger",
    "lion",
    "loewe",
    "adler",
    "eagle",
    "wolf",
    "fuchs",
    "baer",
    "bear",
    "shark",
    "hai",
    "delfin",
    "dolphin",
    "pinguin",
    "penguin",
    "spider",
    "spiderman",
    "ironman",
    "hulk",
    "joker",
    "harry",
    "potter",
    "harrypotter",
    "hogwarts",
    "gandalf",
    "frodo",
    "yoda",
    "vader",
    "skywalker",
    "matrix1",
    "neo",
    "zelda",
    "mario",
    "luigi",
    "sonic",
    "fifa",
    "gamer",
    "gaming",
    "player",
    "player1",
    "killer1",
    "sniper",
    "ninja",
    "samurai",
    "warrior",
    "legend",
    "hero",
    "champion",
    "winner",
    "loser",
    "qweasd",
    "qweasdzxc",
    "1q2w3e",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "q1w2e3r4",
    "zaq12wsx",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn weak(p: &str) -> Option<Weakness> {
        estimate(p, &[]).1
    }

    #[test]
    fn what_people_try_first_is_weak() {
        assert_eq!(weak("abcdefghij"), Some(Weakness::Sequence));
        assert_eq!(weak("0123456789"), Some(Weakness::Sequence));
        assert_eq!(weak("9876543210"), Some(Weakness::Sequence));
        assert_eq!(weak("aaaaaaaaaaaa"), Some(Weakness::Repeat));
        assert_eq!(weak("hallohallo"), Some(Weakness::Repeat));
        assert_eq!(weak("qwertzuiop"), Some(Weakness::Keyboard));
        assert_eq!(weak("yxcvbnm,.-"), Some(Weakness::Keyboard));
        assert_eq!(weak("Password123"), Some(Weakness::Common));
        assert_eq!(weak("P@ssw0rd2024"), Some(Weakness::Common));
        assert_eq!(weak("Sommer2024!"), Some(Weakness::Common));
        assert_eq!(weak("schalke04!!"), Some(Weakness::Common));
        assert_eq!(weak("24.12.1990"), Some(Weakness::Date));
        assert_eq!(weak("24121990ab"), Some(Weakness::Date));
        assert!(weak("ichliebedich").is_some());
        assert!(weak("passwortpasswort").is_some());
    }

    #[test]
    fn the_own_address_is_weak() {
        let (_, w) = estimate("anna.schmidt1", &["anna.schmidt@example.de"]);
        assert_eq!(w, Some(Weakness::Personal));
        let (_, w) = estimate("schmidt2024!", &["anna.schmidt@example.de"]);
        assert!(w.is_some());
    }

    #[test]
    fn long_or_unusual_passwords_pass() {
        for p in [
            "correct horse battery",
            "Zehn-Zeichen",
            "Tulpe Radweg Kompass",
            "vN7#q2!Lm9zP",
            "a brand new secret",
            "another long secret",
            "demo password 123",
            "Fahrradkorb-Mond",
        ] {
            assert_eq!(weak(p), None, "{p}: {}", estimate(p, &[]).0);
        }
    }

    #[test]
    fn estimates_grow_with_randomness() {
        let (a, _) = estimate("kaffee", &[]);
        let (b, _) = estimate("kaffeetasse", &[]);
        let (c, _) = estimate("kaffeetasse-vn7q", &[]);
        assert!(a < b && b < c, "{a} {b} {c}");
    }

    #[test]
    fn a_long_repeat_is_as_weak_as_its_unit() {
        // The longest allowed input, repeating one short unit: judged by the unit.
        let p: String = "ab1".repeat(43)[..128].to_owned();
        let (log10, w) = estimate(&p, &["someone@example.de"]);
        assert_eq!(w, Some(Weakness::Repeat), "{log10}");
    }
}

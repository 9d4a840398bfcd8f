//! Demo data: what `marktchat seed` puts into a database, for a first look at an
//! instance and for benchmarks.
//!
//! What it makes:
//!
//! - **Users** `demo1@example.org`, `demo2@example.org`, … (the numbering continues after
//!   the demo users already in the database) with German first and last names, most
//!   with a home town and some with a short bio; about one in seven prefers English.
//!   They all share one password, hashed once ([`SeedReport::password`]).
//! - **Listings** in every subcategory of the fixed category tree. Titles and
//!   descriptions are put together from word lists per subcategory — things, makes and
//!   models, sizes and colours, conditions, sentences about that kind of thing — so even
//!   100,000 listings rarely repeat; most are German, some English (mostly those of
//!   sellers who prefer English). Prices are mostly fixed and realistic for the thing,
//!   some "negotiable" and some "free". Places are real postal codes and towns across
//!   Germany, often the seller's home town. Most listings are active, a few reserved,
//!   sold or inactive; they were created over the last 90 days.
//! - **Images** (with [`SeedOptions::images`]): a pool of [`POOL_SIZE`] generated
//!   pictures (colour gradients with shapes) that go through the real upload pipeline
//!   ([`images::process`], [`ImageStore::save`]); each listing gets 0–3 of them.
//!
//! Everything comes from one seed: the same seed gives the same users, listings and
//! images on a fresh database (timestamps are relative to now, e-mail numbers follow
//! the demo users already there). Users, listings, pictures and the choice of pictures
//! draw from separate random streams, so `--images` does not change the texts. Seeding
//! one database twice with the same seed is refused, because the ids would be the same;
//! another seed adds more.
//!
//! Speed: one transaction, multi-row `INSERT`s of 50 rows each, one Argon2 hash for all
//! users, and (SQLite) a large page cache while it runs: 100,000 listings take about
//! 11 s on two cores (15 s with pictures).

use crate::clock::now;
use crate::db::{Backend, Database};
use crate::error::{Error, Result, Unique};
use crate::images::{self, ImageStore};
use crate::passwords::Hasher;
use image::{ImageFormat, Rgb, RgbImage};
use marktchat_shared::listing::{ImageRef, ListingStatus, Price};
use marktchat_shared::{Field, Language, Password};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sqlx::Connection;

/// What to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedOptions {
    /// New demo users. With none, listings go to the users already in the database.
    pub users: usize,
    pub listings: usize,
    /// Give listings pictures (needs an [`ImageStore`]).
    pub images: bool,
    /// The same seed gives the same data on a fresh database.
    pub seed: u64,
    /// The demo users' password; `None` picks a random one (see [`SeedReport::password`]).
    pub password: Option<String>,
}

/// At most this many users per run.
pub const MAX_USERS: usize = 1_000_000;
/// At most this many listings per run.
pub const MAX_LISTINGS: usize = 10_000_000;
/// How many different pictures the listings share with [`SeedOptions::images`].
pub const POOL_SIZE: usize = 16;

/// The step [`seed`] reports progress for, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Generating, processing and storing the picture pool.
    Images,
    /// Inserting users.
    Users,
    /// Inserting listings (and their image rows).
    Listings,
}

/// What [`seed`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub users: usize,
    pub listings: usize,
    /// Pictures in the pool (stored files: twice as many, display size and thumbnail).
    pub images: usize,
    /// Rows in `listing_images`: how often listings show a picture.
    pub listing_images: usize,
    /// The first and the last new demo e-mail address.
    pub emails: Option<(String, String)>,
    /// The new demo users' password, to log in with; `None` when no users were made.
    pub password: Option<String>,
}

/// Fills `db` with demo users and listings in one transaction: everything or nothing
/// (stored picture files stay; they are named by content). `store` is needed for
/// [`SeedOptions::images`]. `progress(stage, done, total)` is called after every batch.
///
/// Errors: `Invalid` (field `Password`) for a password that breaks the policy;
/// `Internal` with a message for the operator when the request cannot be met (listings
/// but no users anywhere, a seed already used on this database, too many rows, no
/// image store), `Database` for the rest.
pub async fn seed(
    db: &Database,
    store: Option<&ImageStore>,
    opts: &SeedOptions,
    progress: &mut (dyn FnMut(Stage, usize, usize) + Send),
) -> Result<SeedReport> {
    if opts.users > MAX_USERS || opts.listings > MAX_LISTINGS {
        return Err(Error::Refused(format!(
            "at most {MAX_USERS} users and {MAX_LISTINGS} listings per run"
        )));
    }
    let store = match (opts.images && opts.listings > 0, store) {
        (true, None) => {
            return Err(Error::Refused("pictures need an image store (data directory)".into()))
        }
        (true, Some(s)) => Some(s),
        (false, _) => None,
    };
    let password = match &opts.password {
        Some(p) => Password::parse(p, None).map_err(Error::invalid(Field::Password))?,
        None => Password::parse(&random_password(), None)
            .map_err(|e| Error::internal("the generated demo password was refused", e))?,
    };
    let now_ms = now().millis();

    // Who is made, and who sells.
    let first_number = next_demo_number(db).await?;
    let mut users_rng = stream(opts.seed, Stream::Users);
    let users: Vec<UserSeed> =
        (0..opts.users).map(|i| user(&mut users_rng, first_number + i, now_ms)).collect();
    let sellers = if users.is_empty() {
        existing_sellers(db).await?
    } else {
        users.iter().map(UserSeed::seller).collect()
    };
    if opts.listings > 0 && sellers.is_empty() {
        return Err(Error::Refused(
            "the database has no users to own the listings: create some with --users N".into(),
        ));
    }
    let mut listings = ListingGen::new(opts.seed, &sellers, now_ms)?;
    let first_listing = (opts.listings > 0).then(|| listings.peek_id());
    if taken(db, "users", users.first().map(|u| u.id.as_str())).await?
        || taken(db, "listings", first_listing.as_deref()).await?
    {
        return Err(already_seeded(opts.seed));
    }

    let hash =
        if users.is_empty() { None } else { Some(Hasher::new(1, 0).hash(password.clone()).await?) };
    let pool = match store {
        Some(store) => picture_pool(store, opts.seed, progress).await?,
        None => Vec::new(),
    };

    let mut conn = db.pool().acquire().await?;
    let sqlite = db.backend() == Backend::Sqlite;
    if sqlite {
        // A big page cache for the one big transaction: otherwise SQLite spills pages to
        // the WAL and reads them back, again and again (half the run at 2 MB).
        sqlx::query(SEEDING_CACHE).execute(&mut *conn).await?;
    }
    let written = async {
        let mut tx = conn.begin().await?;
        if let Some(hash) = &hash {
            insert_users(&mut tx, &users, hash, opts.seed, progress).await?;
        }
        let mut covers = stream(opts.seed, Stream::Covers);
        let mut listing_images = 0;
        let mut done = 0;
        while done < opts.listings {
            let n = LISTING_ROWS.min(opts.listings - done);
            let batch: Vec<ListingSeed> = (0..n).map(|_| listings.next()).collect();
            insert_listings(&mut tx, &batch, &sellers, opts.seed).await?;
            if !pool.is_empty() {
                let rows: Vec<ImageRow> = batch
                    .iter()
                    .flat_map(|l| {
                        pictures_for(&mut covers, pool.len())
                            .into_iter()
                            .map(move |(p, i)| (l, p, i))
                    })
                    .map(|(l, position, i)| ImageRow {
                        listing_id: &l.id,
                        position,
                        image: &pool[i],
                    })
                    .collect();
                insert_image_rows(&mut tx, &rows).await?;
                listing_images += rows.len();
            }
            done += n;
            progress(Stage::Listings, done, opts.listings);
        }
        tx.commit().await?;
        Ok::<usize, Error>(listing_images)
    }
    .await;
    if sqlite {
        sqlx::query(DEFAULT_CACHE).execute(&mut *conn).await?;
    }
    let listing_images = written?;

    Ok(SeedReport {
        users: users.len(),
        listings: opts.listings,
        images: pool.len(),
        listing_images,
        emails: users.first().zip(users.last()).map(|(a, b)| (a.email.clone(), b.email.clone())),
        password: hash.map(|_| password.expose().to_owned()),
    })
}

// ---------------------------------------------------------------------------------------
// Random streams

/// One random stream per kind of data.
#[derive(Debug, Clone, Copy)]
enum Stream {
    Users = 1,
    Listings = 2,
    Pictures = 3,
    Covers = 4,
}

/// The stream `kind` of `seed`: every (seed, kind) pair has its own key.
fn stream(seed: u64, kind: Stream) -> StdRng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&(kind as u64).to_le_bytes());
    key[16..24].copy_from_slice(b"marktcht");
    StdRng::from_seed(key)
}

fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string()
}

fn pick(rng: &mut StdRng, list: &[&'static str]) -> &'static str {
    list.choose(rng).copied().unwrap_or("")
}

/// The German or English half of `"deutsch|english"` (a text without `|` is both).
fn tr(text: &str, english: bool) -> &str {
    match text.split_once('|') {
        Some((de, en)) => {
            if english {
                en
            } else {
                de
            }
        }
        None => text,
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A readable random password for the demo users: `demo-xxxx-xxxx-xxxx`.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    let mut group = || {
        (0..4).map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])).collect::<String>()
    };
    format!("demo-{}-{}-{}", group(), group(), group())
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------
// Users

/// A demo user as generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserSeed {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub location: Option<&'static str>,
    pub bio: Option<&'static str>,
    pub language: Language,
    pub created_at: i64,
    /// Index into [`PLACES`].
    pub home: usize,
}

impl UserSeed {
    fn seller(&self) -> Seller {
        Seller {
            id: self.id.clone(),
            created_at: self.created_at,
            home: Some(self.home),
            english: self.language == Language::En,
        }
    }
}

/// Who listings can belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seller {
    pub id: String,
    pub created_at: i64,
    /// Index into [`PLACES`]: most of their listings are there.
    pub home: Option<usize>,
    pub english: bool,
}

fn user(rng: &mut StdRng, number: usize, now: i64) -> UserSeed {
    let id = uuid(rng);
    let first = pick(rng, FIRST_NAMES);
    let last = pick(rng, LAST_NAMES);
    let display_name = match rng.gen_range(0..10) {
        0..=4 => format!("{first} {last}"),
        5..=7 => format!("{first} {}.", last.chars().next().unwrap_or('X')),
        8 => first.to_owned(),
        _ => format!("Familie {last}"),
    };
    let english = rng.gen_bool(0.15);
    let home = place_index(rng);
    let location = rng.gen_bool(0.7).then_some(PLACES[home].1);
    let bio = rng.gen_bool(0.4).then(|| tr(pick(rng, BIOS), english));
    UserSeed {
        id,
        email: format!("demo{number}@example.org"),
        display_name,
        location,
        bio,
        language: if english { Language::En } else { Language::De },
        created_at: now - rng.gen_range(91 * DAY_MS..3 * 365 * DAY_MS),
        home,
    }
}

/// The number after the highest `demoN@example.org` in the database (1 if none).
async fn next_demo_number(db: &Database) -> Result<usize> {
    let emails: Vec<(String,)> =
        sqlx::query_as("SELECT email FROM users WHERE email LIKE 'demo%@example.org'")
            .fetch_all(db.pool())
            .await?;
    let highest = emails
        .iter()
        .filter_map(|(e,)| e.strip_prefix("demo")?.strip_suffix("@example.org")?.parse().ok())
        .max()
        .unwrap_or(0usize);
    Ok(highest + 1)
}

/// The users already in the database (at most 100,000), for `--users 0`.
async fn existing_sellers(db: &Database) -> Result<Vec<Seller>> {
    let rows: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT id, created_at, language FROM users ORDER BY id LIMIT 100000")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, created_at, language)| Seller {
            id,
            created_at,
            home: None,
            english: language == Language::En.code(),
        })
        .collect())
}

/// Whether a row with this id exists in `table` (a constant of this module).
async fn taken(db: &Database, table: &str, id: Option<&str>) -> Result<bool> {
    let Some(id) = id else { return Ok(false) };
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    Ok(n > 0)
}

fn already_seeded(seed: u64) -> Error {
    Error::Refused(format!(
        "this database already holds the demo data of --seed {seed}; \
         use another seed (e.g. --seed {}) to add more, or a fresh database",
        seed.wrapping_add(1)
    ))
}

// ---------------------------------------------------------------------------------------
// Listings

/// A listing as generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListingSeed {
    pub id: String,
    /// Index into the sellers.
    pub seller: usize,
    pub title: String,
    pub description: String,
    pub price: Price,
    pub category: &'static str,
    pub top_category: &'static str,
    pub postal_code: &'static str,
    pub city: &'static str,
    pub status: ListingStatus,
    pub created_at: i64,
    pub updated_at: i64,
    pub english: bool,
}

/// Makes listings one after another from the listings stream.
pub(crate) struct ListingGen<'a> {
    rng: StdRng,
    sellers: &'a [Seller],
    /// The subcategories with word lists, with their slug and their top's slug.
    subs: Vec<(&'static Sub, &'static str, &'static str)>,
    sub_weights: WeightedIndex<u32>,
    now: i64,
}

impl<'a> ListingGen<'a> {
    pub(crate) fn new(seed: u64, sellers: &'a [Seller], now: i64) -> Result<Self> {
        let subs = SUBS
            .iter()
            .map(|sub| {
                marktchat_shared::listing::Category::parse_for_listing(sub.slug)
                    .map(|c| (sub, c.slug, c.top().slug))
                    .map_err(|e| Error::internal(format!("demo words for {:?}", sub.slug), e))
            })
            .collect::<Result<Vec<_>>>()?;
        let sub_weights = WeightedIndex::new(subs.iter().map(|(s, _, _)| s.weight))
            .map_err(|e| Error::internal("demo category weights", e))?;
        Ok(ListingGen { rng: stream(seed, Stream::Listings), sellers, subs, sub_weights, now })
    }

    /// The id the next listing will have.
    fn peek_id(&self) -> String {
        uuid(&mut self.rng.clone())
    }

    pub(crate) fn next(&mut self) -> ListingSeed {
        let rng = &mut self.rng;
        let id = uuid(rng);
        // Skewed: a few sellers have many listings, many have a few.
        let u: f64 = rng.gen();
        let seller = ((u * u * self.sellers.len() as f64) as usize).min(self.sellers.len() - 1);
        let s = &self.sellers[seller];
        let english = rng.gen_bool(if s.english { 0.7 } else { 0.05 });
        let (sub, category, top_category) = self.subs[self.sub_weights.sample(rng)];
        let item = sub.items.choose(rng).unwrap_or(&sub.items[0]);
        let place = match s.home {
            Some(home) if rng.gen_bool(0.7) => home,
            _ => place_index(rng),
        };
        let (postal_code, city) = PLACES[place];
        let price = price(rng, sub.style, item);
        let words = Words::new(rng, sub.style, english, item, city);
        let title = title(rng, sub.style, &words, price);
        let description = description(rng, sub, item, &words, price);
        let status = match rng.gen_range(0..100) {
            0..=84 => ListingStatus::Active,
            85..=89 => ListingStatus::Reserved,
            90..=95 => ListingStatus::Sold,
            _ => ListingStatus::Inactive,
        };
        let created_at = (self.now - rng.gen_range(0..90 * DAY_MS)).max(s.created_at.min(self.now));
        let updated_at = if status != ListingStatus::Active || rng.gen_bool(0.1) {
            created_at + rng.gen_range(0..=self.now - created_at)
        } else {
            created_at
        };
        ListingSeed {
            id,
            seller,
            title,
            description,
            price,
            category,
            top_category,
            postal_code,
            city,
            status,
            created_at,
            updated_at,
            english,
        }
    }
}

fn place_index(rng: &mut StdRng) -> usize {
    // Bigger towns more often: the first entries are the big cities.
    let n = PLACES.len();
    let u: f64 = rng.gen();
    ((u * u * n as f64) as usize).min(n - 1)
}

/// A price realistic for `item`: mostly fixed (rounded as people do), some negotiable,
/// some free.
fn price(rng: &mut StdRng, style: Style, item: &Item) -> Price {
    let (fixed, negotiable) = style.price_mix();
    let r: f64 = rng.gen();
    if r >= fixed + negotiable {
        return Price::Free;
    }
    if r >= fixed {
        // Most with the amount asked ("50 € VB"), drawn from a generator of its own so
        // that the rest of the data stays what it was for a given seed.
        let mut own = StdRng::seed_from_u64(r.to_bits());
        let cents = own.gen_bool(0.6).then(|| amount(&mut own, item));
        return Price::Negotiable { cents };
    }
    Price::Fixed { cents: amount(rng, item) }
}

/// A title without the separators empty details leave behind: ", ,", " ,", "– ,", and
/// a "," or "–" at the end.
fn tidy_title(title: &str) -> String {
    let mut t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    loop {
        let tidied = t
            .replace(", ,", ",")
            .replace(" ,", ",")
            .replace("– ,", "–")
            .replace("– –", "–")
            .trim_end_matches([',', ' ', '–'])
            .to_owned();
        if tidied == t {
            return t;
        }
        t = tidied;
    }
}

/// An amount in the item's range, rounded as sellers round.
fn amount(rng: &mut StdRng, item: &Item) -> u64 {
    let (lo, hi) = (f64::from(item.euros.0), f64::from(item.euros.1));
    let euros = lo * (hi / lo).powf(rng.gen::<f64>());
    let step = match euros {
        e if e < 10.0 => 0.5,
        e if e < 50.0 => 1.0,
        e if e < 200.0 => 5.0,
        e if e < 1000.0 => 10.0,
        e if e < 5000.0 => 50.0,
        _ => 100.0,
    };
    let mut cents = ((euros / step).round().max(1.0) * step * 100.0).round() as u64;
    // 149 € rather than 150 €, now and then.
    if cents >= 2000 && cents.is_multiple_of(1000) && rng.gen_bool(0.15) {
        cents -= 100;
    }
    cents
}

/// The words one listing's title and description are made of.
struct Words {
    english: bool,
    gender: Gender,
    /// Make and noun, e.g. "Gazelle Damenfahrrad", "iPhone 12", "Kinderwagen".
    thing: String,
    /// Whether `thing` starts with the noun (not a make), so it may be capitalised.
    plain: bool,
    adjective: &'static str,
    detail: &'static str,
    detail2: &'static str,
    condition: &'static str,
    city: &'static str,
}

impl Words {
    fn new(
        rng: &mut StdRng,
        style: Style,
        english: bool,
        item: &Item,
        city: &'static str,
    ) -> Words {
        let noun = tr(item.noun, english);
        let brand = if noun.is_empty() || rng.gen_bool(0.75) {
            tr(pick(rng, item.brands), english)
        } else {
            ""
        };
        let thing = match (brand.is_empty(), noun.is_empty()) {
            (true, _) => noun.to_owned(),
            (false, true) => brand.to_owned(),
            (false, false) => format!("{brand} {noun}"),
        };
        // A second detail only if it does not contradict the first ("Größe 38, Größe 40").
        let first = pick(rng, item.details);
        let others: Vec<&str> =
            item.details.iter().copied().filter(|d| compatible(first, d)).collect();
        let second = pick(rng, &others);
        let conditions: Vec<&str> = style
            .conditions()
            .iter()
            .copied()
            .filter(|c| compatible(first, c) && compatible(second, c))
            .collect();
        Words {
            english,
            gender: item.gender,
            thing,
            plain: brand.is_empty(),
            adjective: tr(pick(rng, style.adjectives()), english),
            detail: tr(first, english),
            detail2: tr(second, english),
            condition: tr(pick(rng, &conditions), english),
            city,
        }
    }

    /// "Gebrauchtes" for "Damenfahrrad": the adjective, inflected and capitalised.
    fn adjective_first(&self) -> String {
        if self.english {
            capitalise(self.adjective)
        } else {
            capitalise(&format!("{}{}", self.adjective, self.gender.strong_ending()))
        }
    }

    /// The thing at the start of a title.
    fn thing_first(&self) -> String {
        if self.plain {
            capitalise(&self.thing)
        } else {
            self.thing.clone()
        }
    }

    /// Fills `{thing}`, `{detail}`, `{city}`, `{my}`, `{our}` and `{a}` (the article
    /// before the thing) into a sentence.
    fn fill(&self, template: &str) -> String {
        let (my, our, a) = if self.english {
            let a = match self.gender {
                Gender::Pl => "",
                _ if self.thing.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) => {
                    "an"
                }
                _ => "a",
            };
            ("my", "our", a)
        } else {
            (self.gender.my(), self.gender.our(), self.gender.a())
        };
        let filled = template
            .replace("{thing}", &self.thing)
            .replace("{detail}", self.detail)
            .replace("{city}", self.city)
            .replace("{my}", my)
            .replace("{our}", our)
            .replace("{a}", a);
        // An empty article or detail leaves double spaces and empty brackets behind.
        let filled = filled.replace(" ()", "").replace(" ,", ",");
        filled.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Whether two details (or a detail and a condition) can describe the same thing: not
/// two sizes, two colours, two capacities, two kinds of one thing. Judged on the German
/// halves; when unsure, no.
fn compatible(a: &str, b: &str) -> bool {
    let (a, b) = (tr(a, false), tr(b, false));
    if a.is_empty() || b.is_empty() {
        return true;
    }
    let first = |s: &str| s.split_whitespace().next().unwrap_or("").to_owned();
    let last = |s: &str| s.split_whitespace().last().unwrap_or("").to_owned();
    let words = |s: &str| s.split_whitespace().count();
    let numeric = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    let exclusive = |set: &[&str]| set.contains(&a) && set.contains(&b);
    let same_measure = numeric(a)
        && numeric(b)
        && (last(a) == last(b)
            || (words(a) <= 2 && words(b) <= 2)
            || (a.contains('/') && b.contains('/')));
    !(first(a) == first(b)
        || same_measure
        || exclusive(COLOURS)
        || EXCLUSIVE.iter().any(|set| exclusive(set)))
}

/// Colours: one per thing.
const COLOURS: &[&str] = &[
    "schwarz",
    "weiß",
    "blau",
    "rot",
    "grau",
    "beige",
    "hellblau",
    "dunkelblau",
    "dunkelgrün",
    "silber",
    "creme",
    "cognac",
    "camel",
    "anthrazit",
    "fuchsia",
    "natur",
    "Eiche",
    "getigert",
];

/// Details of which one thing has only one, beyond what [`compatible`] sees itself.
const EXCLUSIVE: &[&[&str]] = &[
    &["Akku", "Benzin", "elektrisch"],
    &["Akustik", "E-Gitarre", "Konzertgitarre"],
    &["Diesel", "Benziner"],
    &["Kugelgrill", "Gasgrill"],
    &["Mädchen", "Junge"],
    &["Fully", "Hardtail"],
    &["Stehplatz", "Sitzplatz", "Innenraum", "Parkett"],
    &["Aluminium", "Carbon"],
    &["Leder", "Cord", "Samt"],
    &["H0", "Spur N"],
    &["Matschjacke", "Winterjacke", "Übergangsjacke"],
    &["Daune", "Daunen", "Softshell"],
    &["Rattan", "Holz", "Metall", "Lärche", "Keramik", "Glas", "Massivholz", "Eiche"],
    &["Wolle", "Kaschmir", "Merino", "Seide", "Baumwolle", "Jersey", "Strick"],
    &["Body", "mit Kit-Objektiv", "18-55 mm"],
    &["Skinny", "Mom Fit", "Slim Fit", "Regular Fit"],
    &["USB-C", "Lightning"],
    &["Full HD", "4K", "OLED"],
    &["Klasse 7", "Oberstufe", "bis Klasse 10", "alle Klassen", "Grundschule"],
    &["Mathematik", "Englisch"],
    &["Taschenbuch", "Taschenbücher", "gebunden"],
    &["DVD", "Blu-ray"],
    &["2 Böckchen", "Pärchen", "2 Stück", "Weibchen"],
    &["Tisch und 4 Stühle", "Lounge-Set"],
    &["Laserdrucker", "mit Scanner"],
    &["Overlock", "mit Fußpedal"],
    &["Combo", "50 W"],
    &["Tiefeinsteiger", "Rahmenhöhe 50 cm", "Rahmenhöhe 56 cm"],
    &["ab sofort", "ab sofort frei", "ab dem 1.", "Zwischenmiete", "unbefristet", "befristet"],
    &["Heimspiel", "Samstagabend"],
    &["E-Drum", "Komplettset"],
    &["Automatik", "Lederarmband"],
    &["Kombi", "mit Babywanne"],
    &["Stehleiter", "3 x 9 Sprossen"],
    &[
        "OVP",
        "mit OVP",
        "unbenutzt",
        "unbespielt",
        "wie neu",
        "neuwertig",
        "kaum benutzt",
        "kaum gelaufen",
        "leichte Gebrauchsspuren",
        "guter Zustand",
        "sehr guter Zustand",
        "top Zustand",
        "fast voll",
        "voll funktionsfähig",
    ],
];

fn title(rng: &mut StdRng, style: Style, w: &Words, price: Price) -> String {
    let gives_away = matches!(style, Style::Goods | Style::Animal | Style::Ticket);
    let title = if price == Price::Free && gives_away && rng.gen_bool(0.5) {
        match (w.english, rng.gen_bool(0.5)) {
            (false, true) => format!("{} {} zu verschenken", w.thing_first(), w.detail),
            (false, false) => w.fill("Verschenke {a} {thing}"),
            (true, true) => format!("Free: {}, {}", w.thing, w.detail),
            (true, false) => format!("{} to give away", w.thing_first()),
        }
    } else {
        // Weighted: the plain patterns more often, the one with the town least.
        let pattern = match rng.gen_range(0..14) {
            0..=2 => 0,
            3..=5 => 1,
            6..=8 => 2,
            9..=10 => 3,
            11..=12 => 4,
            _ => 5,
        };
        let (adj, thing, d, d2, cond) =
            (w.adjective_first(), w.thing_first(), w.detail, w.detail2, w.condition);
        let t = &w.thing;
        let city = w.city;
        match (w.english, pattern) {
            (false, 0) => format!("{adj} {t} {d}"),
            (false, 1) => format!("{thing} {d}"),
            (false, 2) => format!("{thing}, {d}, {cond}"),
            (false, 3) => format!("{thing} {d} – {cond}"),
            (false, 4) => format!("{adj} {t}, {d}, {d2}"),
            (true, 0) => format!("{adj} {t}, {d}"),
            (true, 1) => format!("{thing}, {d}"),
            (true, 2) => format!("{thing}, {d}, {cond}"),
            (true, 3) => format!("{thing} – {cond}"),
            (true, 4) => format!("{adj} {t}, {d}, {d2}"),
            _ => format!("{adj} {t} in {city}"),
        }
    };
    let mut title = tidy_title(&title);
    // (The draw happens for every "VB" listing, so that the data after it stays the
    // same for a given seed.)
    if matches!(price, Price::Negotiable { .. })
        && style == Style::Goods
        && rng.gen_bool(0.3)
        && price.cents().is_none()
    {
        title.push_str(if w.english { " ONO" } else { " VB" });
    }
    if title.chars().count() > marktchat_shared::listing::ListingTitle::MAX_LEN {
        w.thing_first()
    } else {
        title
    }
}

fn description(rng: &mut StdRng, sub: &Sub, item: &Item, w: &Words, price: Price) -> String {
    let p = sub.style.phrases();
    let e = w.english;
    let mut first = vec![w.fill(tr(pick(rng, p.openers), e))];
    if !p.middles.is_empty() && rng.gen_bool(0.85) {
        first.push(w.fill(tr(pick(rng, p.middles), e)));
    }
    let notes = if item.notes.is_empty() { sub.notes } else { item.notes };
    let k = if notes.len() >= 2 && rng.gen_bool(0.5) { 2 } else { 1 };
    for &note in notes.choose_multiple(rng, k) {
        first.push(w.fill(tr(note, e)));
    }
    if !p.reasons.is_empty() && rng.gen_bool(0.5) {
        first.push(w.fill(tr(pick(rng, p.reasons), e)));
    }
    let about_price = match price {
        Price::Fixed { .. } if rng.gen_bool(0.25) => p.fixed,
        Price::Fixed { .. } => &[],
        Price::Negotiable { .. } => p.negotiable,
        Price::Free => p.free,
    };
    if !about_price.is_empty() {
        first.push(w.fill(tr(pick(rng, about_price), e)));
    }
    let mut second = Vec::new();
    if rng.gen_bool(0.85) {
        second.push(w.fill(tr(pick(rng, p.pickups), e)));
    }
    if rng.gen_bool(0.6) {
        second.push(w.fill(tr(pick(rng, p.closings), e)));
    }
    let mut text = first.join(" ");
    if !second.is_empty() {
        text.push_str("\n\n");
        text.push_str(&second.join(" "));
    }
    text
}

// ---------------------------------------------------------------------------------------
// Pictures

/// A listing's pictures: 0–3 distinct indexes into the pool, each with its position
/// (0 is the cover).
fn pictures_for(rng: &mut StdRng, pool: usize) -> Vec<(i64, usize)> {
    let count = match rng.gen_range(0..100) {
        0..=14 => 0,
        15..=49 => 1,
        50..=79 => 2,
        _ => 3,
    };
    let chosen = rand::seq::index::sample(rng, pool, count.min(pool));
    chosen.into_iter().enumerate().map(|(pos, i)| (pos as i64, i)).collect()
}

/// A picture to draw: a gradient between two colours with a few shapes on it.
#[derive(Debug, Clone, PartialEq)]
struct Picture {
    width: u32,
    height: u32,
    from: [u8; 3],
    to: [u8; 3],
    /// Direction of the gradient, in radians.
    angle: f32,
    shapes: Vec<Shape>,
}

#[derive(Debug, Clone, PartialEq)]
struct Shape {
    round: bool,
    /// Centre and half sizes, as fractions of the width and height.
    cx: f32,
    cy: f32,
    rx: f32,
    ry: f32,
    colour: [u8; 3],
    opacity: f32,
}

fn picture(rng: &mut StdRng) -> Picture {
    let (width, height) = *[(640, 480), (480, 640), (600, 600), (720, 480), (640, 427)]
        .choose(rng)
        .unwrap_or(&(640, 480));
    let hue: f32 = rng.gen_range(0.0..360.0);
    let colour = |rng: &mut StdRng, hue: f32| {
        hsv(hue.rem_euclid(360.0), rng.gen_range(0.35..0.85), rng.gen_range(0.55..0.95))
    };
    let from = colour(rng, hue);
    let shift = rng.gen_range(30.0..150.0);
    let to = colour(rng, hue + shift);
    let shapes = (0..rng.gen_range(2..6))
        .map(|_| {
            let (round, cx, cy) =
                (rng.gen_bool(0.5), rng.gen_range(0.1..0.9), rng.gen_range(0.1..0.9));
            let (rx, ry) = (rng.gen_range(0.05..0.3), rng.gen_range(0.05..0.3));
            let shift = rng.gen_range(120.0..240.0);
            let colour = colour(rng, hue + shift);
            Shape { round, cx, cy, rx, ry, colour, opacity: rng.gen_range(0.4..0.9) }
        })
        .collect();
    Picture { width, height, from, to, angle: rng.gen_range(0.0..std::f32::consts::TAU), shapes }
}

fn hsv(h: f32, s: f32, v: f32) -> [u8; 3] {
    let c = v * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    [r, g, b].map(|ch| ((ch + m) * 255.0).round().clamp(0.0, 255.0) as u8)
}

/// Draws the picture and encodes it as PNG, as a person's upload would arrive.
fn render_png(p: &Picture) -> Result<Vec<u8>> {
    let (w, h) = (p.width as f32, p.height as f32);
    let (dx, dy) = (p.angle.cos(), p.angle.sin());
    let span = dx.abs() * w + dy.abs() * h;
    let offset = dx.min(0.0) * w + dy.min(0.0) * h;
    let img = RgbImage::from_fn(p.width, p.height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let t = ((fx * dx + fy * dy - offset) / span).clamp(0.0, 1.0);
        let mut px: [f32; 3] =
            std::array::from_fn(|c| f32::from(p.from[c]) * (1.0 - t) + f32::from(p.to[c]) * t);
        for s in &p.shapes {
            let (u, v) = ((fx / w - s.cx) / s.rx, (fy / h - s.cy) / s.ry);
            let inside =
                if s.round { u * u + v * v <= 1.0 } else { u.abs() <= 1.0 && v.abs() <= 1.0 };
            if inside {
                for (ch, &colour) in px.iter_mut().zip(&s.colour) {
                    *ch = *ch * (1.0 - s.opacity) + f32::from(colour) * s.opacity;
                }
            }
        }
        Rgb(px.map(|ch| ch.round().clamp(0.0, 255.0) as u8))
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)
        .map_err(|e| Error::internal("cannot encode a demo picture", e))?;
    Ok(out.into_inner())
}

/// Draws [`POOL_SIZE`] pictures, runs them through the upload pipeline (in parallel,
/// off the async runtime) and stores them.
async fn picture_pool(
    store: &ImageStore,
    seed: u64,
    progress: &mut (dyn FnMut(Stage, usize, usize) + Send),
) -> Result<Vec<ImageRef>> {
    let mut rng = stream(seed, Stream::Pictures);
    let tasks: Vec<_> = (0..POOL_SIZE)
        .map(|_| picture(&mut rng))
        .map(|p| {
            tokio::task::spawn_blocking(move || {
                images::process(&render_png(&p)?)
                    .map_err(|e| Error::internal("a demo picture was refused by the pipeline", e))
            })
        })
        .collect();
    progress(Stage::Images, 0, POOL_SIZE);
    let mut pool = Vec::with_capacity(POOL_SIZE);
    for task in tasks {
        let processed =
            task.await.map_err(|e| Error::internal("a demo picture task failed", e))??;
        let stored = store
            .save(&processed)
            .await
            .map_err(|e| Error::internal("cannot store a demo picture", e))?;
        pool.push(stored);
        progress(Stage::Images, pool.len(), POOL_SIZE);
    }
    Ok(pool)
}

// ---------------------------------------------------------------------------------------
// Inserting

type Tx<'c> = sqlx::Transaction<'c, sqlx::Any>;

/// SQLite's page cache while seeding (in KiB when negative): enough for 100,000 listings.
const SEEDING_CACHE: &str = "PRAGMA cache_size = -262144";
/// SQLite's default, restored afterwards (the connection goes back to the pool).
const DEFAULT_CACHE: &str = "PRAGMA cache_size = -2000";

/// Rows per multi-row `INSERT`. Not more: sqlx's SQLite driver looks every `$N` up by
/// name, which takes time in proportion to the parameters of the statement, so a
/// statement's binding time grows with the square of its size (500 listing rows per
/// statement spent half the run doing that); a few hundred parameters are the sweet spot.
const USER_ROWS: usize = 50;
const LISTING_ROWS: usize = 50;
const IMAGE_ROWS: usize = 100;
// Within SQLite's limit of bound parameters per statement.
const _: () =
    assert!(17 * LISTING_ROWS < 32_766 && 12 * USER_ROWS < 32_766 && 5 * IMAGE_ROWS < 32_766);

/// `head VALUES ($1, $2), ($3, $4), …` for `rows` rows of `columns` values.
fn insert_sql(head: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + 8 + rows * (columns * 7 + 4));
    sql.push_str(head);
    sql.push_str(" VALUES ");
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&n.to_string());
        }
        sql.push(')');
    }
    sql
}

/// A clash on a user's or listing's id or a user's e-mail means this seed's data (or
/// those e-mails) are there already.
fn clash(seed: u64) -> impl Fn(sqlx::Error) -> Error {
    move |e| match Unique::violated_by(&e) {
        Some(Unique::UserEmail | Unique::UserId | Unique::ListingId) => already_seeded(seed),
        _ => Error::from(e),
    }
}

async fn insert_users(
    tx: &mut Tx<'_>,
    users: &[UserSeed],
    password_hash: &str,
    seed: u64,
    progress: &mut (dyn FnMut(Stage, usize, usize) + Send),
) -> Result<()> {
    const HEAD: &str = "INSERT INTO users (id, email, display_name, name_key, password_hash, role,
                        location, bio, language, notify_messages, created_at, updated_at)";
    let mut done = 0;
    for batch in users.chunks(USER_ROWS) {
        let sql = insert_sql(HEAD, 12, batch.len());
        let mut query = sqlx::query(&sql);
        for u in batch {
            query = query
                .bind(u.id.as_str())
                .bind(u.email.as_str())
                .bind(u.display_name.as_str())
                .bind(u.display_name.to_lowercase())
                .bind(password_hash)
                .bind("user")
                .bind(u.location)
                .bind(u.bio)
                .bind(u.language.code())
                .bind(1i64)
                .bind(u.created_at)
                .bind(u.created_at);
        }
        query.execute(&mut **tx).await.map_err(clash(seed))?;
        done += batch.len();
        progress(Stage::Users, done, users.len());
    }
    Ok(())
}

async fn insert_listings(
    tx: &mut Tx<'_>,
    batch: &[ListingSeed],
    sellers: &[Seller],
    seed: u64,
) -> Result<()> {
    const HEAD: &str = "INSERT INTO listings (id, seller_id, title, description, price_kind,
                        price_cents, price_asc_key, price_desc_key, category, top_category,
                        postal_code, city, city_key, search_text, status, created_at,
                        updated_at)";
    let sql = insert_sql(HEAD, 17, batch.len());
    let mut query = sqlx::query(&sql);
    for l in batch {
        query = query
            .bind(l.id.as_str())
            .bind(sellers[l.seller].id.as_str())
            .bind(l.title.as_str())
            .bind(l.description.as_str())
            .bind(l.price.kind().as_str())
            .bind(l.price.cents().map(|c| c as i64))
            .bind(l.price.sort_keys().0)
            .bind(l.price.sort_keys().1)
            .bind(l.category)
            .bind(l.top_category)
            .bind(l.postal_code)
            .bind(l.city)
            .bind(marktchat_shared::listing::city_key(l.city))
            .bind(crate::listings::search_text(&l.title, &l.description))
            .bind(l.status.as_str())
            .bind(l.created_at)
            .bind(l.updated_at);
    }
    query.execute(&mut **tx).await.map_err(clash(seed))?;
    Ok(())
}

struct ImageRow<'a> {
    listing_id: &'a str,
    position: i64,
    image: &'a ImageRef,
}

async fn insert_image_rows(tx: &mut Tx<'_>, rows: &[ImageRow<'_>]) -> Result<()> {
    const HEAD: &str = "INSERT INTO listing_images (listing_id, position, hash, width, height)";
    for batch in rows.chunks(IMAGE_ROWS) {
        let sql = insert_sql(HEAD, 5, batch.len());
        let mut query = sqlx::query(&sql);
        for r in batch {
            query = query
                .bind(r.listing_id)
                .bind(r.position)
                .bind(r.image.hash.as_str())
                .bind(i64::from(r.image.width))
                .bind(i64::from(r.image.height));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Word lists

/// Grammatical gender of a German noun (plural nouns need no gender): adjectives and
/// articles follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    M,
    F,
    N,
    Pl,
}

impl Gender {
    /// The ending of an adjective without article: gebraucht*er* Kinderwagen.
    fn strong_ending(self) -> &'static str {
        match self {
            Gender::M => "er",
            Gender::F | Gender::Pl => "e",
            Gender::N => "es",
        }
    }

    /// "my" in the accusative: Verkaufe *meinen* Kinderwagen.
    fn my(self) -> &'static str {
        match self {
            Gender::M => "meinen",
            Gender::F | Gender::Pl => "meine",
            Gender::N => "mein",
        }
    }

    /// "our" in the accusative.
    fn our(self) -> &'static str {
        match self {
            Gender::M => "unseren",
            Gender::F | Gender::Pl => "unsere",
            Gender::N => "unser",
        }
    }

    /// "a" in the accusative (nothing for a plural).
    fn a(self) -> &'static str {
        match self {
            Gender::M => "einen",
            Gender::F => "eine",
            Gender::N => "ein",
            Gender::Pl => "",
        }
    }
}

/// How listings of a subcategory are worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Things for sale.
    Goods,
    /// Offered services (prices per hour).
    Service,
    /// Flats and rooms to rent (prices per month).
    Flat,
    /// Garages and parking spaces to rent.
    Parking,
    /// Pets looking for a home.
    Animal,
    /// Tickets and vouchers.
    Ticket,
}

/// Sentences for descriptions, each `"deutsch|english"`, with the placeholders of
/// [`Words::fill`].
struct Phrases {
    openers: &'static [&'static str],
    middles: &'static [&'static str],
    reasons: &'static [&'static str],
    pickups: &'static [&'static str],
    closings: &'static [&'static str],
    fixed: &'static [&'static str],
    negotiable: &'static [&'static str],
    free: &'static [&'static str],
}

impl Style {
    /// Adjective stems ("gebraucht") for titles, German inflected by [`Gender`].
    fn adjectives(self) -> &'static [&'static str] {
        match self {
            Style::Goods => &[
                "gebraucht|used",
                "neuwertig|like-new",
                "gut erhalten|well-kept",
                "gepflegt|well looked-after",
                "fast neu|nearly new",
                "top erhalten|excellent",
                "hochwertig|high-quality",
                "schön|lovely",
                "praktisch|handy",
            ],
            Style::Service => &[
                "zuverlässig|reliable",
                "günstig|affordable",
                "erfahren|experienced",
                "professionell|professional",
                "schnell|quick",
            ],
            Style::Flat => &[
                "hell|bright",
                "ruhig|quiet",
                "modern|modern",
                "möbliert|furnished",
                "gemütlich|cosy",
                "renoviert|renovated",
                "schön|lovely",
                "zentral gelegen|central",
            ],
            Style::Parking => {
                &["zentral gelegen|central", "sicher|secure", "günstig|cheap", "trocken|dry"]
            }
            Style::Animal => &[
                "lieb|sweet",
                "verschmust|cuddly",
                "verspielt|playful",
                "ruhig|calm",
                "jung|young",
                "kinderlieb|child-friendly",
            ],
            Style::Ticket => &["günstig|cheap", "begehrt|sought-after"],
        }
    }

    /// Short phrases after a comma or dash in titles.
    fn conditions(self) -> &'static [&'static str] {
        match self {
            Style::Goods => &[
                "guter Zustand|good condition",
                "sehr guter Zustand|very good condition",
                "wie neu|like new",
                "neuwertig|as new",
                "top Zustand|excellent condition",
                "kaum benutzt|barely used",
                "leichte Gebrauchsspuren|minor signs of wear",
                "OVP|boxed",
            ],
            Style::Service => &[
                "kurzfristig möglich|short notice possible",
                "auch am Wochenende|weekends too",
                "faire Preise|fair prices",
                "Termine frei|slots available",
                "mit Erfahrung|experienced",
            ],
            Style::Flat => &[
                "ab sofort frei|available now",
                "provisionsfrei|no agency fee",
                "ab dem 1.|from the 1st",
                "befristet|fixed term",
                "unbefristet|open-ended",
            ],
            Style::Parking => &[
                "ab sofort frei|available now",
                "provisionsfrei|no agency fee",
                "monatlich kündbar|monthly notice",
            ],
            Style::Animal => &[
                "sucht ein Zuhause|looking for a home",
                "nur in gute Hände|to a good home only",
                "geimpft und gechippt|vaccinated and chipped",
            ],
            Style::Ticket => &[
                "zum Originalpreis|at face value",
                "unter Originalpreis|below face value",
                "sofort verfügbar|available now",
            ],
        }
    }

    /// Chances of a fixed and of a negotiable price; the rest is free.
    fn price_mix(self) -> (f64, f64) {
        match self {
            Style::Goods => (0.78, 0.14),
            Style::Service => (0.75, 0.25),
            Style::Flat => (0.92, 0.08),
            Style::Parking => (0.9, 0.1),
            Style::Animal => (0.55, 0.15),
            Style::Ticket => (0.85, 0.15),
        }
    }

    fn phrases(self) -> &'static Phrases {
        match self {
            Style::Goods => &GOODS_PHRASES,
            Style::Service => &SERVICE_PHRASES,
            Style::Flat => &FLAT_PHRASES,
            Style::Parking => &PARKING_PHRASES,
            Style::Animal => &ANIMAL_PHRASES,
            Style::Ticket => &TICKET_PHRASES,
        }
    }
}

static GOODS_PHRASES: Phrases = Phrases {
    openers: &[
        "Verkaufe {my} {thing} ({detail}).|Selling my {thing} ({detail}).",
        "Ich biete hier {my} {thing} an.|I'm offering my {thing} here.",
        "Hallo! Ich verkaufe {my} {thing}, {detail}.|Hi! I'm selling my {thing}, {detail}.",
        "Hier gibt es {a} {thing} ({detail}).|For sale: {thing} ({detail}).",
        "Biete {a} {thing} in {city} an.|Up for grabs in {city}: {thing}.",
    ],
    middles: &[
        "Der Zustand ist gut, kleine Gebrauchsspuren sind vorhanden.|Good condition, minor signs of use.",
        "Zustand wie neu, kaum benutzt.|Like new, hardly used.",
        "Normale Gebrauchsspuren, siehe Fotos.|Normal signs of wear, see photos.",
        "Sehr gepflegt und sauber.|Very well looked after and clean.",
        "Guter gebrauchter Zustand.|In good used condition.",
    ],
    reasons: &[
        "Wegen Umzug abzugeben.|Has to go because I'm moving.",
        "Aus Platzgründen abzugeben.|Selling for lack of space.",
        "Wird leider nicht mehr genutzt.|Sadly no longer used.",
        "Ich habe mir etwas Neues gekauft.|I've bought a new one.",
        "Fehlkauf, daher fast unbenutzt.|Bought by mistake, so almost unused.",
        "Der Keller muss leer werden.|The cellar needs clearing.",
    ],
    pickups: &[
        "Abholung in {city}.|Collection in {city}.",
        "Nur Abholung in {city}, kein Versand.|Collection in {city} only, no shipping.",
        "Versand gegen Aufpreis möglich.|Shipping possible for an extra charge.",
        "Abholung in {city} oder Versand als Paket.|Collection in {city} or shipping as a parcel.",
        "Kann nach Absprache auch vorbeigebracht werden.|Can be delivered locally by arrangement.",
    ],
    closings: &[
        "Privatverkauf, keine Garantie und keine Rücknahme.|Private sale, no warranty or returns.",
        "Bei Fragen einfach melden!|Any questions, just ask!",
        "Bei Interesse gerne schreiben.|Message me if you're interested.",
        "Schaut auch gern in meine anderen Anzeigen.|Have a look at my other listings too.",
        "Tierfreier Nichtraucherhaushalt.|Pet-free non-smoking home.",
    ],
    fixed: &["Festpreis.|Fixed price.", "Preis ist fest, bitte keine Tauschangebote.|Price is firm, no swaps please."],
    negotiable: &[
        "Preis ist Verhandlungssache, macht mir ein Angebot.|Price negotiable, make me an offer.",
        "VB – ich freue mich über faire Angebote.|Open to reasonable offers.",
    ],
    free: &[
        "Zu verschenken an Selbstabholer.|Free to whoever collects it.",
        "Gebe es kostenlos ab, wer zuerst kommt.|Free, first come first served.",
    ],
};

static SERVICE_PHRASES: Phrases = Phrases {
    openers: &[
        "Ich biete {thing} in {city} und Umgebung an.|I offer {thing} in and around {city}.",
        "Biete {thing} an ({detail}).|Offering {thing} ({detail}).",
        "Hallo, ich biete {thing} an, {detail}.|Hi, I offer {thing}, {detail}.",
    ],
    middles: &[
        "Ich bin zuverlässig und pünktlich.|I'm reliable and punctual.",
        "Referenzen gibt es auf Anfrage.|References available on request.",
        "Ich habe mehrere Jahre Erfahrung.|I have several years of experience.",
    ],
    reasons: &[],
    pickups: &[
        "Im Raum {city} und Umgebung.|In and around {city}.",
        "Anfahrt im Stadtgebiet {city} inklusive.|Travel within {city} included.",
    ],
    closings: &[
        "Schreibt mir einfach eine Nachricht.|Just send me a message.",
        "Termine nach Absprache, auch abends.|Appointments by arrangement, evenings too.",
        "Ich freue mich auf eure Anfrage!|Looking forward to hearing from you!",
    ],
    fixed: &["Der Preis gilt pro Stunde.|The price is per hour."],
    negotiable: &["Preis nach Aufwand, fragt gern nach.|Price depends on the job, just ask."],
    free: &[],
};

static FLAT_PHRASES: Phrases = Phrases {
    openers: &[
        "Ich vermiete {a} {thing} in {city}.|I'm letting {a} {thing} in {city}.",
        "Wir suchen Nachmieter für {our} {thing} ({detail}).|We're looking for someone to take over our {thing} ({detail}).",
        "Zur Miete: {thing} in {city}, {detail}.|To rent: {thing} in {city}, {detail}.",
    ],
    middles: &[
        "Die Lage ist ruhig und trotzdem zentral.|Quiet but central location.",
        "Einkaufsmöglichkeiten sind fußläufig erreichbar.|Shops within walking distance.",
        "Frisch gestrichen, Böden in gutem Zustand.|Freshly painted, floors in good condition.",
    ],
    reasons: &[],
    pickups: &["Besichtigung in {city} nach Absprache.|Viewings in {city} by arrangement."],
    closings: &[
        "Bitte stellt euch in der Nachricht kurz vor.|Please introduce yourself briefly in your message.",
        "Keine Makleranfragen.|No agents please.",
    ],
    fixed: &["Der Preis ist die Monatsmiete.|The price is the monthly rent."],
    negotiable: &["Miete nach Absprache.|Rent by arrangement."],
    free: &[],
};

static PARKING_PHRASES: Phrases = Phrases {
    openers: &[
        "Ich vermiete {a} {thing} in {city}.|I'm letting {a} {thing} in {city}.",
        "Zur Miete: {thing} in {city}, {detail}.|To rent: {thing} in {city}, {detail}.",
    ],
    middles: &[
        "Die Zufahrt ist jederzeit möglich.|Access at any time.",
        "Gut erreichbar, direkt an der Hauptstraße.|Easy to reach, right off the main road.",
    ],
    reasons: &[],
    pickups: &["Besichtigung in {city} nach Absprache.|Viewing in {city} by arrangement."],
    closings: &["Bei Interesse gerne schreiben.|Message me if you're interested."],
    fixed: &["Der Preis gilt pro Monat.|The price is per month."],
    negotiable: &["Miete nach Absprache.|Rent by arrangement."],
    free: &[],
};

static ANIMAL_PHRASES: Phrases = Phrases {
    openers: &[
        "Wir geben schweren Herzens {our} {thing} ab ({detail}).|With heavy hearts we're rehoming our {thing} ({detail}).",
        "Für {our} {thing} suchen wir ein liebevolles Zuhause.|We're looking for a loving home for our {thing}.",
    ],
    middles: &[
        "Gesund und munter, der Impfpass ist vorhanden.|Healthy and lively, vaccination record available.",
        "Sehr zutraulich und neugierig.|Very trusting and curious.",
    ],
    reasons: &[
        "Wegen einer Allergie müssen wir uns leider trennen.|We have to part because of an allergy.",
        "Wir haben leider nicht mehr genug Zeit.|We sadly no longer have enough time.",
    ],
    pickups: &["Kennenlernen in {city} jederzeit möglich.|You're welcome to visit in {city}."],
    closings: &[
        "Bitte meldet euch nur mit Erfahrung in der Tierhaltung.|Please only get in touch if you have experience with pets.",
        "Wir freuen uns auf eure Nachricht.|We look forward to your message.",
    ],
    fixed: &["Die Schutzgebühr deckt die Tierarztkosten.|The adoption fee covers the vet's bills."],
    negotiable: &["Schutzgebühr nach Absprache.|Adoption fee by arrangement."],
    free: &["Abgabe kostenlos in gute Hände.|Free to a good home."],
};

static TICKET_PHRASES: Phrases = Phrases {
    openers: &[
        "Verkaufe {thing} ({detail}).|Selling {thing} ({detail}).",
        "Biete {thing} an, {detail}.|Offering {thing}, {detail}.",
    ],
    middles: &[],
    reasons: &[],
    pickups: &[
        "Übergabe in {city} oder per Post.|Handover in {city} or by post.",
        "Übergabe digital möglich.|Can be handed over digitally.",
    ],
    closings: &["Bei Interesse schnell melden.|Get in touch quickly if you're interested."],
    fixed: &["Festpreis.|Fixed price."],
    negotiable: &["Preis VB.|Price negotiable."],
    free: &["Zu verschenken, bevor sie verfallen.|Free before they expire."],
};

/// A kind of thing in a subcategory.
struct Item {
    /// `"Damenfahrrad|women's bike"`; empty when the make names the thing ("iPhone 12").
    noun: &'static str,
    gender: Gender,
    /// Makes or models, placed before the noun; `""` for none.
    brands: &'static [&'static str],
    /// Sizes, colours, features: `"28 Zoll|28 inch"`.
    details: &'static [&'static str],
    /// Typical fixed price range in euros.
    euros: (u32, u32),
    /// Sentences for the description; the subcategory's when empty.
    notes: &'static [&'static str],
}

/// A subcategory's words.
struct Sub {
    slug: &'static str,
    style: Style,
    /// How common listings of this subcategory are, relative to the others.
    weight: u32,
    items: &'static [Item],
    notes: &'static [&'static str],
}

macro_rules! item {
    ($noun:literal, $g:ident, [$($b:literal),* $(,)?], [$($d:literal),* $(,)?],
     $lo:literal..$hi:literal $(, notes: [$($n:literal),* $(,)?])?) => {
        Item {
            noun: $noun,
            gender: Gender::$g,
            brands: &[$($b),*],
            details: &[$($d),*],
            euros: ($lo, $hi),
            notes: &[$($($n),*)?],
        }
    };
}

const CLOTHES_NOTES: &[&str] = &[
    "Nur ein paarmal getragen.|Only worn a few times.",
    "Fällt normal aus.|True to size.",
    "Aus tierfreiem Nichtraucherhaushalt.|From a pet-free non-smoking home.",
    "Versand als Warensendung möglich.|Can be sent by post.",
    "Gewaschen und ohne Flecken.|Washed and stain-free.",
];

const TICKET_NOTES: &[&str] = &[
    "Ich kann leider nicht hingehen.|Unfortunately I can't go.",
    "Übergabe persönlich oder über die offizielle Plattform.|Handover in person or via the official platform.",
    "Verkauf zum Originalpreis, keine Spekulation.|Sold at face value, no speculation.",
];

#[rustfmt::skip]
static SUBS: &[Sub] = &[
    Sub { slug: "electronics/phones", style: Style::Goods, weight: 6, items: &[
        item!("", N, ["iPhone 11", "iPhone 12", "iPhone 12 mini", "iPhone 13", "iPhone SE (2022)", "iPhone 14 Pro",
            "Samsung Galaxy S21", "Samsung Galaxy S22", "Samsung Galaxy A52", "Google Pixel 6a", "Google Pixel 7",
            "Fairphone 4", "Xiaomi Redmi Note 12", "OnePlus Nord 2"],
            ["64 GB", "128 GB", "256 GB", "schwarz|black", "weiß|white", "blau|blue", "Dual-SIM|dual SIM",
            "ohne SIM-Lock|unlocked", "mit Hülle|with case"], 80..650),
        item!("Handy|mobile phone", N, ["Nokia", "Doro", "Samsung", "Motorola"],
            ["für Senioren|for seniors", "mit großen Tasten|with large buttons", "Klapphandy|flip phone", "Dual-SIM|dual SIM"], 10..60),
        item!("Schnurlostelefon|cordless phone", N, ["Gigaset", "Panasonic", "AVM FRITZ!Fon"],
            ["mit Ladeschale|with charging cradle", "mit Anrufbeantworter|with answering machine", "2 Mobilteile|two handsets"], 10..50, notes: [
            "Beide Mobilteile funktionieren einwandfrei.|Both handsets work perfectly.",
            "Das Netzteil ist dabei.|Power supply included."]),
        item!("Ladekabel|charging cables", Pl, ["Anker", "Apple", "Belkin"], ["USB-C", "Lightning", "2 m", "3er-Pack|pack of 3"], 3..20, notes: [
            "Noch originalverpackt.|Still in the packaging.",
            "Passt für viele Geräte.|Fits many devices."]),
    ], notes: &[
        "Der Akku hält noch gut einen Tag.|The battery still lasts a full day.",
        "Display ohne Kratzer, immer mit Schutzfolie benutzt.|No scratches on the screen, always used with a screen protector.",
        "Wurde auf Werkseinstellungen zurückgesetzt.|Reset to factory settings.",
        "Originalkarton und Ladekabel sind dabei.|Original box and charging cable included.",
        "Kein SIM-Lock, funktioniert mit allen Netzen.|No SIM lock, works on all networks.",
    ] },
    Sub { slug: "electronics/computers", style: Style::Goods, weight: 5, items: &[
        item!("", N, ["MacBook Air M1", "MacBook Pro 13\"", "Lenovo ThinkPad T480", "Lenovo ThinkPad X1 Carbon", "Dell XPS 13",
            "HP EliteBook 840", "Acer Aspire 5", "ASUS ZenBook 14"],
            ["8 GB RAM", "16 GB RAM", "256 GB SSD", "512 GB SSD", "14 Zoll|14 inch", "mit Ladegerät|with charger",
            "Windows 11", "deutsche Tastatur|German keyboard"], 150..1100, notes: [
            "Der Akku hält etwa vier Stunden.|The battery lasts about four hours.",
            "Frisch aufgesetzt, ohne persönliche Daten.|Freshly reinstalled, no personal data.",
            "Display ohne Pixelfehler.|No dead pixels on the screen.",
            "Das Ladegerät ist dabei.|Charger included."]),
        item!("Monitor|monitor", M, ["Dell", "LG", "Samsung", "BenQ", "Eizo"],
            ["24 Zoll|24 inch", "27 Zoll|27 inch", "Full HD", "4K", "höhenverstellbar|height adjustable", "mit HDMI-Kabel|with HDMI cable"], 40..300),
        item!("Tastatur|keyboard", F, ["Logitech", "Cherry", "Keychron", "Microsoft"],
            ["kabellos|wireless", "mechanisch|mechanical", "deutsches Layout|German layout", "mit Beleuchtung|backlit"], 10..90),
        item!("Drucker|printer", M, ["HP", "Brother", "Canon", "Epson"],
            ["Laserdrucker|laser printer", "mit Scanner|with scanner", "WLAN|Wi-Fi", "mit Toner|with toner"], 20..150),
        item!("Desktop-PC|desktop PC", M, ["", "Gaming", "Fujitsu Esprimo", "Dell OptiPlex"],
            ["Intel i5", "Ryzen 5", "16 GB RAM", "1 TB SSD", "GTX 1660", "RTX 3060"], 120..900),
    ], notes: &[
        "Lief immer problemlos.|Always worked without problems.",
        "Kabel und Originalverpackung sind dabei.|Cables and original packaging included.",
        "Kann gern vor Ort getestet werden.|You are welcome to test it here.",
    ] },
    Sub { slug: "electronics/tv-audio", style: Style::Goods, weight: 4, items: &[
        item!("Fernseher|TV", M, ["Samsung", "LG", "Sony", "Philips", "Panasonic", "TCL"],
            ["43 Zoll|43 inch", "55 Zoll|55 inch", "65 Zoll|65 inch", "4K", "Smart TV", "mit Fernbedienung|with remote", "OLED"], 80..900, notes: [
            "Bild und Ton sind top.|Great picture and sound.",
            "Fernbedienung und Netzkabel sind dabei.|Remote and power cable included.",
            "Wandhalterung gebe ich gern mit.|Happy to include the wall mount."]),
        item!("Bluetooth-Lautsprecher|Bluetooth speaker", M, ["JBL", "Bose", "Sonos", "Marshall", "Ultimate Ears"],
            ["schwarz|black", "wasserdicht|waterproof", "mit Ladekabel|with charging cable", "tragbar|portable"], 20..180),
        item!("Kopfhörer|headphones", Pl, ["Sony WH-1000XM4", "Bose QC35", "Sennheiser", "Beyerdynamic DT 770", "AKG"],
            ["Noise Cancelling|noise cancelling", "kabellos|wireless", "mit Etui|with case", "Over-Ear|over-ear"], 20..220),
        item!("Plattenspieler|record player", M, ["Technics", "Dual", "Pro-Ject", "Audio-Technica"],
            ["mit Tonabnehmer|with cartridge", "Direktantrieb|direct drive", "Vintage|vintage"], 60..450),
        item!("Soundbar|soundbar", F, ["Sonos Beam", "Bose", "Samsung", "Yamaha"], ["mit Subwoofer|with subwoofer", "HDMI ARC", "Dolby Atmos"], 60..400),
        item!("Stereoanlage|stereo system", F, ["Denon", "Yamaha", "Onkyo", "Sony"],
            ["mit Boxen|with speakers", "CD und Radio|CD and radio", "Vintage|vintage"], 40..300),
    ], notes: &[
        "Funktioniert einwandfrei.|Works perfectly.",
        "Alle Kabel sind dabei.|All cables included.",
        "Wegen Neuanschaffung abzugeben.|Selling because I bought a new one.",
        "Kann gerne vor Ort getestet werden.|You are welcome to test it here.",
    ] },
    Sub { slug: "electronics/photo", style: Style::Goods, weight: 2, items: &[
        item!("", F, ["Canon EOS 250D", "Canon EOS 80D", "Nikon D3500", "Nikon D7200", "Sony Alpha 6000", "Sony Alpha 7 III",
            "Fujifilm X-T3", "Olympus OM-D E-M10", "Panasonic Lumix G80"],
            ["Body|body only", "mit Kit-Objektiv|with kit lens", "18-55 mm", "wenig Auslösungen|low shutter count",
            "mit Tasche|with bag", "mit 2 Akkus|with 2 batteries"], 180..1400),
        item!("Objektiv|lens", N, ["Canon", "Nikon", "Sigma", "Tamron", "Sony", "Fujifilm"],
            ["50 mm f/1.8", "18-135 mm", "70-300 mm", "35 mm f/1.4", "24-70 mm f/2.8"], 60..700, notes: [
            "Glas ohne Kratzer, Pilz oder Staub.|Glass free of scratches, fungus and dust.",
            "Vorder- und Rückdeckel sind dabei.|Front and rear caps included.",
            "Ich bin auf ein anderes System umgestiegen.|I switched to a different system."]),
        item!("Stativ|tripod", N, ["Manfrotto", "Rollei", "Gitzo", ""], ["Aluminium|aluminium", "Carbon|carbon", "mit Kugelkopf|with ball head"], 15..150, notes: [
            "Alle Gelenke sind fest, nichts wackelt.|All joints are tight, nothing wobbles.",
            "Mit Tasche.|Comes with a bag."]),
        item!("", F, ["Canon AE-1", "Minolta X-700", "Olympus OM-1", "Pentax K1000", "Praktica MTL 5"],
            ["mit 50-mm-Objektiv|with 50 mm lens", "geprüft|tested", "analog|film camera"], 40..280),
    ], notes: &[
        "Sensor ist sauber, keine Kratzer auf dem Display.|Sensor is clean, no scratches on the screen.",
        "Ladegerät, Akku und Gurt gehören dazu.|Charger, battery and strap included.",
        "Ich bin auf ein anderes System umgestiegen.|I switched to a different system.",
        "Probebilder schicke ich gern per Nachricht.|Happy to send sample photos by message.",
    ] },
    Sub { slug: "electronics/consoles", style: Style::Goods, weight: 4, items: &[
        item!("", F, ["PlayStation 4", "PlayStation 5", "PS4 Pro", "Xbox One S", "Xbox Series S", "Nintendo Switch",
            "Nintendo Switch OLED", "Nintendo Wii", "Nintendo 3DS"],
            ["mit 2 Controllern|with 2 controllers", "500 GB", "1 TB", "mit Spielen|with games", "OVP|boxed"], 40..420, notes: [
            "Läuft einwandfrei, der Lüfter ist leise.|Runs perfectly, the fan is quiet.",
            "Alle Kabel sind dabei.|All cables included.",
            "Wird kaum noch gespielt.|Hardly played any more."]),
        item!("Controller|controller", M, ["PS5 DualSense", "PS4 DualShock", "Xbox", "Switch Pro"], ["schwarz|black", "weiß|white", "original"], 15..55),
        item!("", N, ["FIFA 23", "Mario Kart 8", "Zelda: Breath of the Wild", "The Last of Us", "Minecraft", "Animal Crossing",
            "Gran Turismo 7", "Pokémon Karmesin|Pokémon Scarlet"],
            ["für Switch|for Switch", "für PS4|for PS4", "für PS5|for PS5", "für Xbox|for Xbox", "deutsche Version|German version"], 10..45, notes: [
            "Disc ohne Kratzer, mit Hülle.|Disc without scratches, with case.",
            "Einmal durchgespielt.|Played through once."]),
        item!("Spielesammlung|game bundle", F, ["PS4", "Switch", "Wii", "Game Boy"], ["10 Spiele|10 games", "5 Spiele|5 games", "Konvolut|job lot"], 30..150),
    ], notes: &[
        "Funktioniert einwandfrei.|Works perfectly.",
        "Wird kaum noch gespielt.|Hardly played any more.",
        "Spiele ohne Kratzer auf der Disc.|Games without scratches on the disc.",
    ] },
    Sub { slug: "home-garden/furniture", style: Style::Goods, weight: 10, items: &[
        item!("Regal|shelf", N, ["IKEA Kallax", "IKEA Billy", "IKEA Ivar", "String", ""],
            ["weiß|white", "Eiche|oak", "schwarz|black", "4x4 Fächer|4x4 cubes", "80 cm breit|80 cm wide", "mit Einsätzen|with inserts"], 15..180),
        item!("Sofa|sofa", N, ["", "IKEA Ektorp", "IKEA Kivik", "BoConcept", "Rolf Benz"],
            ["grau|grey", "3-Sitzer|three-seater", "mit Schlaffunktion|sofa bed", "Leder|leather", "Cord|corduroy", "mit Hocker|with footstool"], 50..900),
        item!("Kommode|chest of drawers", F, ["IKEA Malm", "IKEA Hemnes", ""],
            ["weiß|white", "6 Schubladen|6 drawers", "Massivholz|solid wood", "Vintage|vintage"], 20..200),
        item!("Esstisch|dining table", M, ["", "IKEA Ekedalen", "IKEA Lisabo"],
            ["ausziehbar|extendable", "160 x 90 cm", "Massivholz|solid wood", "mit 4 Stühlen|with 4 chairs", "rund|round"], 40..450),
        item!("Kleiderschrank|wardrobe", M, ["IKEA Pax", "IKEA Brimnes", ""],
            ["weiß|white", "mit Spiegeltüren|with mirrored doors", "200 cm breit|200 cm wide", "Schiebetüren|sliding doors"], 40..400),
        item!("Schreibtisch|desk", M, ["IKEA Alex", "IKEA Bekant", "Flexispot", ""],
            ["höhenverstellbar|height adjustable", "120 x 60 cm", "weiß|white", "mit Schubladen|with drawers"], 25..350),
        item!("Bürostuhl|office chair", M, ["Steelcase Leap", "Herman Miller Aeron", "Interstuhl", "IKEA Markus"],
            ["ergonomisch|ergonomic", "schwarz|black", "mit Armlehnen|with armrests", "Netzrücken|mesh back"], 25..600),
        item!("Bett|bed", N, ["IKEA Malm", "IKEA Hemnes", ""],
            ["140 x 200 cm", "160 x 200 cm", "90 x 200 cm", "mit Lattenrost|with slatted base", "mit Bettkasten|with storage"], 30..350),
        item!("Stühle|chairs", Pl, ["", "IKEA Ingolf", "Thonet"], ["4 Stück|set of 4", "Holz|wood", "gepolstert|upholstered", "2 Stück|pair"], 20..300),
    ], notes: &[
        "Weitere Maße gern auf Anfrage.|More dimensions on request.",
        "Muss selbst abgebaut und abgeholt werden.|You need to take it apart and collect it yourself.",
        "Bereits zerlegt, alle Schrauben sind da.|Already taken apart, all screws are there.",
        "Aus Nichtraucherhaushalt ohne Haustiere.|From a non-smoking home without pets.",
        "Passt leider nicht in die neue Wohnung.|Sadly it doesn't fit into our new flat.",
    ] },
    Sub { slug: "home-garden/kitchen", style: Style::Goods, weight: 5, items: &[
        item!("Kaffeevollautomat|bean-to-cup coffee machine", M, ["De'Longhi", "Siemens EQ.6", "Jura", "Philips"],
            ["mit Milchaufschäumer|with milk frother", "entkalkt|descaled", "silber|silver"], 80..600),
        item!("Kaffeemaschine|coffee maker", F, ["Melitta", "Krups", "Nespresso", "Dolce Gusto", "Bialetti"],
            ["mit Thermoskanne|with thermal jug", "für Kapseln|for capsules", "rot|red", "schwarz|black"], 8..80),
        item!("Geschirrset|dinner set", N, ["Villeroy & Boch", "Rosenthal", "IKEA", ""],
            ["für 6 Personen|for 6 people", "für 12 Personen|for 12 people", "weiß|white", "24-teilig|24 pieces"], 15..180, notes: [
            "Spülmaschinenfest.|Dishwasher safe.",
            "Keine Macken oder Risse.|No chips or cracks."]),
        item!("Küchenmaschine|stand mixer", F, ["KitchenAid", "Bosch MUM", "Kenwood", "Thermomix TM5"],
            ["mit Zubehör|with accessories", "rot|red", "creme|cream", "1000 W"], 60..800),
        item!("Waschmaschine|washing machine", F, ["Bosch", "Miele", "Siemens", "AEG"], ["7 kg", "8 kg", "A+++", "1400 U/min|1400 rpm"], 80..450),
        item!("Kühlschrank|fridge", M, ["Bosch", "Liebherr", "Samsung", "Beko"],
            ["mit Gefrierfach|with freezer compartment", "A++", "weiß|white", "Edelstahl|stainless steel"], 60..400),
        item!("Topfset|set of pans", N, ["WMF", "Fissler", "Tefal", ""],
            ["Edelstahl|stainless steel", "5-teilig|5 pieces", "induktionsgeeignet|induction-ready"], 20..180, notes: [
            "Spülmaschinenfest.|Dishwasher safe.",
            "Die Böden sind plan, nichts verbeult.|Flat bases, no dents."]),
    ], notes: &[
        "Funktioniert tadellos, wurde regelmäßig gereinigt.|Works perfectly, cleaned regularly.",
        "Kann gern vor Ort ausprobiert werden.|You are welcome to try it out here.",
        "Bedienungsanleitung ist dabei.|Manual included.",
        "Wir haben doppelt, seit wir zusammengezogen sind.|We have two since we moved in together.",
    ] },
    Sub { slug: "home-garden/garden", style: Style::Goods, weight: 4, items: &[
        item!("Rasenmäher|lawn mower", M, ["Bosch", "Gardena", "Honda", "Einhell", "Husqvarna"],
            ["Akku|cordless", "Benzin|petrol", "elektrisch|electric", "mit Fangkorb|with grass box", "32 cm"], 30..350),
        item!("Gartenmöbel|garden furniture", Pl, ["", "Kettler", "IKEA Äpplarö"],
            ["Tisch und 4 Stühle|table and 4 chairs", "Rattan|rattan", "Holz|wood", "Lounge-Set|lounge set"], 30..500),
        item!("Hochbeet|raised bed", N, ["", "Juwel"], ["Lärche|larch", "120 x 80 cm", "Metall|metal"], 20..150),
        item!("Zimmerpflanzen|house plants", Pl, ["", "Monstera", "Ficus", "Sansevieria"], ["groß|large", "mit Topf|with pot", "Ableger|cuttings"], 3..50, notes: [
            "Gesund und kräftig, ohne Schädlinge.|Healthy and strong, no pests.",
            "Töpfe gegen kleinen Aufpreis.|Pots for a small extra charge."]),
        item!("Grill|barbecue", M, ["Weber", "Napoleon", "Enders", "Outdoorchef"],
            ["Kugelgrill|kettle grill", "Gasgrill|gas grill", "mit Abdeckung|with cover", "57 cm"], 30..600),
        item!("Sonnenschirm|parasol", M, ["", "Doppler"], ["3 m", "mit Ständer|with stand", "Ampelschirm|cantilever", "beige"], 15..150),
        item!("Gartenschlauch|garden hose", M, ["Gardena", "Kärcher", ""], ["25 m", "mit Schlauchwagen|with hose reel", "mit Brause|with spray nozzle"], 8..60),
    ], notes: &[
        "War letzte Saison noch im Einsatz.|Still in use last season.",
        "Wir haben keinen Garten mehr.|We no longer have a garden.",
        "Steht im Schuppen und kann jederzeit angeschaut werden.|It's in the shed and can be viewed any time.",
        "Für Balkon oder Terrasse gut geeignet.|Suitable for a balcony or terrace.",
    ] },
    Sub { slug: "home-garden/tools", style: Style::Goods, weight: 4, items: &[
        item!("Akkuschrauber|cordless drill", M, ["Bosch", "Makita", "Metabo", "DeWalt", "Einhell"],
            ["18 V", "mit 2 Akkus|with 2 batteries", "im Koffer|in a case", "mit Ladegerät|with charger"], 25..220, notes: [
            "Die Akkus halten noch gut.|The batteries still hold a good charge.",
            "Bits gebe ich dazu.|I'll add the bits."]),
        item!("Bohrhammer|hammer drill", M, ["Bosch", "Makita", "Hilti", "Metabo"], ["SDS-Plus", "mit Meißel|with chisel", "im Koffer|in a case"], 40..350),
        item!("Werkzeugkoffer|tool kit", M, ["", "Wera", "Knipex", "Bosch"], ["bestückt|full", "120-teilig|120 pieces", "Ratschenkasten|socket set"], 15..180),
        item!("Kreissäge|circular saw", F, ["Bosch", "Makita", "Festool", "Scheppach"],
            ["mit Führungsschiene|with guide rail", "1400 W", "Tischkreissäge|table saw"], 40..500),
        item!("Leiter|ladder", F, ["Hailo", "Krause", ""], ["Aluminium|aluminium", "3 x 9 Sprossen|3 x 9 rungs", "Stehleiter|stepladder"], 20..180),
        item!("Werkbank|workbench", F, ["", "Wolfcraft"], ["klappbar|folding", "Massivholz|solid wood", "mit Schraubstock|with vice"], 20..200),
    ], notes: &[
        "Nur privat genutzt, kein gewerblicher Einsatz.|Private use only, never used commercially.",
        "Alles vollständig.|Everything complete.",
        "Die Renovierung ist fertig, deshalb abzugeben.|The renovation is done, so it has to go.",
        "Kann vor Ort getestet werden.|Can be tested here.",
    ] },
    Sub { slug: "home-garden/decor", style: Style::Goods, weight: 4, items: &[
        item!("Stehlampe|floor lamp", F, ["IKEA", "Artemide", "Tchibo", ""], ["Messing|brass", "schwarz|black", "dimmbar|dimmable", "Vintage|vintage"], 15..250, notes: [
            "Leuchtmittel ist nicht dabei.|Bulb not included.",
            "Funktioniert einwandfrei.|Works perfectly."]),
        item!("Spiegel|mirror", M, ["", "IKEA Hovet"], ["rund|round", "mit Holzrahmen|with wooden frame", "groß|large", "60 x 180 cm"], 10..150),
        item!("Teppich|rug", M, ["", "IKEA", "Benuta"], ["200 x 300 cm", "160 x 230 cm", "Wolle|wool", "Berber"], 20..300),
        item!("Bilderrahmen|picture frames", Pl, ["IKEA Ribba", ""], ["schwarz|black", "weiß|white", "5 Stück|set of 5", "50 x 70 cm"], 5..40),
        item!("Deckenlampe|ceiling lamp", F, ["Philips Hue", "IKEA", ""], ["LED", "Rattan|rattan", "Glas|glass", "mit Fernbedienung|with remote"], 10..180, notes: [
            "Leuchtmittel ist nicht dabei.|Bulb not included.",
            "Muss selbst abmontiert werden.|You'll need to take it down yourself."]),
        item!("Vase|vase", F, ["", "WMF", "Rosenthal", "Kähler"], ["Keramik|ceramic", "Glas|glass", "handgemacht|handmade", "groß|large"], 5..80),
        item!("Kissen|cushions", Pl, ["", "H&M Home", "Zara Home"], ["2 Stück|pair", "Samt|velvet", "50 x 50 cm", "mit Bezug|with covers"], 5..40),
    ], notes: &[
        "Passt nicht mehr zu unserer neuen Einrichtung.|Doesn't go with our new interior any more.",
        "Sehr dekorativ, macht viel her.|Very decorative, looks great.",
        "Aus Nichtraucherhaushalt.|From a non-smoking home.",
    ] },
    Sub { slug: "fashion/women", style: Style::Goods, weight: 8, items: &[
        item!("Kleid|dress", N, ["Zara", "H&M", "Mango", "Esprit", "Only", "s.Oliver"],
            ["Größe 36|size 8", "Größe 38|size 10", "Größe 40|size 12", "Größe M|size M", "geblümt|floral", "schwarz|black", "Midi|midi"], 5..60),
        item!("Jacke|jacket", F, ["Jack Wolfskin", "The North Face", "Zara", "Vero Moda", "Tommy Hilfiger"],
            ["Größe S|size S", "Größe M|size M", "Größe L|size L", "wasserdicht|waterproof", "Leder|leather", "Übergangsjacke|light jacket"], 10..150),
        item!("Jeans|jeans", F, ["Levi's", "Only", "Mavi", "Lee", "Pepe"],
            ["W28/L32", "W30/L32", "W32/L34", "Mom Fit|mom fit", "Skinny|skinny", "hellblau|light blue"], 5..50),
        item!("Mantel|coat", M, ["Esprit", "Mango", "Marc O'Polo", "COS"], ["Wolle|wool", "Größe 38|size 10", "camel", "lang|long"], 20..180),
        item!("Pullover|jumper", M, ["H&M", "COS", "Marc O'Polo", "Zara"],
            ["Größe S|size S", "Größe M|size M", "Kaschmir|cashmere", "Strick|knitted", "beige"], 5..70),
        item!("Bluse|blouse", F, ["Esprit", "Zara", "Mango", "Opus"], ["Größe 38|size 10", "Größe 40|size 12", "weiß|white", "Seide|silk"], 5..40),
    ], notes: CLOTHES_NOTES },
    Sub { slug: "fashion/men", style: Style::Goods, weight: 5, items: &[
        item!("Jacke|jacket", F, ["Jack Wolfskin", "Patagonia", "The North Face", "Schöffel", "Tommy Hilfiger"],
            ["Größe M|size M", "Größe L|size L", "Größe XL|size XL", "wasserdicht|waterproof", "Daunen|down", "Softshell|softshell"], 15..180),
        item!("Anzug|suit", M, ["Hugo Boss", "s.Oliver", "Zara", "Tommy Hilfiger"],
            ["Größe 50|size 40", "Größe 52|size 42", "dunkelblau|navy", "Slim Fit|slim fit"], 40..250),
        item!("Hemd|shirt", N, ["Seidensticker", "Olymp", "Eterna", "Tommy Hilfiger"],
            ["Größe 41|collar 16", "Größe L|size L", "weiß|white", "bügelfrei|non-iron"], 5..40),
        item!("Jeans|jeans", F, ["Levi's 501", "Wrangler", "G-Star", "Diesel"],
            ["W32/L32", "W34/L34", "W36/L32", "dunkelblau|dark blue", "Regular Fit|regular fit"], 10..60),
        item!("Pullover|jumper", M, ["Tommy Hilfiger", "Ralph Lauren", "Marc O'Polo", "Uniqlo"],
            ["Größe M|size M", "Größe L|size L", "Merino|merino", "dunkelgrün|dark green"], 10..70),
    ], notes: CLOTHES_NOTES },
    Sub { slug: "fashion/shoes", style: Style::Goods, weight: 5, items: &[
        item!("Sneaker|trainers", Pl, ["Nike Air Max", "Adidas Stan Smith", "New Balance 574", "Vans Old Skool", "Converse Chucks", "Veja"],
            ["Größe 38|size 5", "Größe 40|size 6.5", "Größe 42|size 8", "Größe 44|size 9.5", "weiß|white", "schwarz|black"], 10..120),
        item!("Stiefel|boots", Pl, ["Dr. Martens", "Timberland", "Tamaris", "UGG"],
            ["Größe 39|size 6", "Größe 41|size 7.5", "Leder|leather", "gefüttert|lined", "Chelsea Boots|Chelsea boots"], 15..150),
        item!("Wanderschuhe|hiking boots", Pl, ["Meindl", "Lowa", "Salomon", "Hanwag"],
            ["Größe 42|size 8", "Größe 44|size 9.5", "Gore-Tex", "wasserdicht|waterproof"], 25..160),
        item!("Pumps|heels", Pl, ["Tamaris", "Buffalo", "Görtz", ""], ["Größe 38|size 5", "Größe 39|size 6", "schwarz|black", "Lack|patent"], 8..60),
        item!("Laufschuhe|running shoes", Pl, ["Asics Gel-Nimbus", "Brooks Ghost", "Nike Pegasus", "Hoka Clifton", "Saucony"],
            ["Größe 42|size 8", "Größe 43|size 9", "Größe 45|size 10.5", "kaum gelaufen|barely run"], 15..100),
    ], notes: &[
        "Die Sohle ist kaum abgelaufen.|The soles are barely worn.",
        "Passen mir leider nicht richtig.|Sadly they don't fit me properly.",
        "Mit Originalkarton.|With the original box.",
        "Fallen eher klein aus.|They run small.",
    ] },
    Sub { slug: "fashion/accessories", style: Style::Goods, weight: 4, items: &[
        item!("Handtasche|handbag", F, ["Liebeskind", "Michael Kors", "Fossil", "Longchamp", "Coccinelle"],
            ["Leder|leather", "schwarz|black", "cognac", "mit Staubbeutel|with dust bag"], 15..250),
        item!("Rucksack|backpack", M, ["Fjällräven Kånken", "Herschel", "Deuter", "Eastpak"],
            ["rot|red", "dunkelblau|navy", "16 l", "mit Laptopfach|with laptop sleeve"], 15..90),
        item!("Armbanduhr|watch", F, ["Casio", "Fossil", "Seiko 5", "Junghans", "Daniel Wellington", "Tissot"],
            ["Edelstahl|stainless steel", "Automatik|automatic", "Lederarmband|leather strap", "mit Box|with box"], 20..600),
        item!("Sonnenbrille|sunglasses", F, ["Ray-Ban Wayfarer", "Oakley", "Persol"], ["polarisiert|polarised", "mit Etui|with case", "schwarz|black"], 20..120),
        item!("Schal|scarf", M, ["", "Codello", "Acne Studios"], ["Wolle|wool", "Kaschmir|cashmere", "kariert|checked"], 5..60),
        item!("Geldbörse|wallet", F, ["", "Bree", "Montblanc", "Fossil"], ["Leder|leather", "schwarz|black", "mit RFID-Schutz|RFID blocking"], 5..120),
    ], notes: &[
        "Original, Kaufbeleg ist vorhanden.|Genuine, receipt available.",
        "Kaum benutzt, keine Kratzer.|Hardly used, no scratches.",
        "War ein Geschenk, ist aber nicht mein Stil.|It was a present but isn't my style.",
    ] },
    Sub { slug: "fashion/beauty", style: Style::Goods, weight: 2, items: &[
        item!("Haartrockner|hairdryer", M, ["Dyson Supersonic", "Philips", "Braun", "Remington"], ["mit Aufsätzen|with attachments", "2000 W", "fuchsia"], 15..280),
        item!("Parfum|perfume", N, ["Chanel No. 5", "Dior Sauvage", "Hugo Boss", "Calvin Klein"],
            ["100 ml", "50 ml", "fast voll|almost full", "unbenutzt|unused"], 15..90),
        item!("Glätteisen|hair straightener", N, ["GHD", "Remington", "Babyliss"], ["mit Tasche|with pouch", "Keramik|ceramic"], 10..120),
        item!("Munddusche|water flosser", F, ["Waterpik", "Oral-B", "Panasonic"], ["unbenutzt|unused", "OVP|boxed"], 15..60),
        item!("Massagegerät|massager", N, ["Beurer", "Medisana", "Theragun"], ["mit Wärmefunktion|with heat", "Akku|cordless"], 15..180),
        item!("Schminkset|make-up set", N, ["", "Catrice", "MAC"], ["unbenutzt|unused", "Geschenkset|gift set"], 5..40),
    ], notes: &[
        "Die Originalverpackung ist noch da.|The original packaging is still there.",
        "Funktioniert einwandfrei.|Works perfectly.",
        "Hygieneartikel, daher keine Rücknahme.|Hygiene product, so no returns.",
    ] },
    Sub { slug: "family/baby", style: Style::Goods, weight: 6, items: &[
        item!("Babyschale|infant car seat", F, ["Maxi-Cosi Pebble", "Cybex Aton", "Römer Baby-Safe"],
            ["mit Isofix-Station|with Isofix base", "unfallfrei|accident-free", "Gruppe 0+|group 0+"], 30..200),
        item!("Hochstuhl|high chair", M, ["Stokke Tripp Trapp", "Hauck Alpha", "IKEA Antilop"], ["mit Babyset|with baby set", "natur|natural", "weiß|white"], 10..180),
        item!("Babybett|cot", N, ["IKEA Sundvik", "Paidi", "Schardt"], ["70 x 140 cm", "mit Matratze|with mattress", "umbaubar|convertible"], 30..200),
        item!("Wickelkommode|changing table", F, ["IKEA Hemnes", "Paidi", ""], ["weiß|white", "mit Auflage|with mat"], 30..180),
        item!("Babyphone|baby monitor", N, ["Philips Avent", "Angelcare", "Babymoov"], ["mit Kamera|with camera", "Video|video", "Eco-Modus|eco mode"], 15..120),
        item!("Tragetuch|baby wrap", N, ["Didymos", "Manduca", "Ergobaby", "Hoppediz"], ["grau|grey", "mit Anleitung|with instructions", "Größe 6|size 6"], 15..90),
    ], notes: &[
        "Unser Kind ist rausgewachsen.|Our little one has outgrown it.",
        "Sehr gepflegt, keine Flecken.|Very well kept, no stains.",
        "Rauchfreier Haushalt ohne Tiere.|Smoke-free home without pets.",
        "Die Anleitung ist vorhanden.|Instructions included.",
    ] },
    Sub { slug: "family/kids-clothing", style: Style::Goods, weight: 7, items: &[
        item!("Kinderjacke|children's jacket", F, ["Jako-o", "Reima", "Name It", "Tchibo"],
            ["Größe 98|age 2–3", "Größe 110|age 4–5", "Größe 122|age 6–7", "Matschjacke|rain jacket", "Winterjacke|winter jacket"], 5..60),
        item!("Kleiderpaket|clothes bundle", N, ["", "H&M", "Petit Bateau"],
            ["Größe 74|age 6–9 months", "Größe 86|age 12–18 months", "Größe 104|age 3–4", "Mädchen|girl", "Junge|boy", "30 Teile|30 items"], 5..50),
        item!("Schneeanzug|snowsuit", M, ["Reima", "Lego Wear", "Didriksons"], ["Größe 92|age 18–24 months", "Größe 104|age 3–4", "blau|blue"], 10..50),
        item!("Gummistiefel|wellies", Pl, ["Bisgaard", "Hunter", "Playshoes"], ["Größe 26|size 8 kids", "Größe 30|size 12 kids", "gefüttert|lined"], 5..30),
        item!("Bodys|bodysuits", Pl, ["Petit Bateau", "H&M", "Sterntaler"], ["Größe 62|0–3 months", "Größe 68|3–6 months", "5er-Pack|pack of 5"], 3..20),
    ], notes: &[
        "Die Sachen sind gewaschen und ohne Flecken.|Everything is washed and stain-free.",
        "Schnell rausgewachsen, kaum getragen.|Outgrown quickly, hardly worn.",
        "Weitere Größen in meinen anderen Anzeigen.|More sizes in my other listings.",
    ] },
    Sub { slug: "family/toys", style: Style::Goods, weight: 7, items: &[
        item!("", N, ["Lego City Feuerwehr|Lego City fire station", "Lego Friends Café|Lego Friends café", "Lego Technic Bagger|Lego Technic excavator",
            "Lego Star Wars X-Wing", "Lego Duplo Zug|Lego Duplo train", "Playmobil Bauernhof|Playmobil farm", "Playmobil Piratenschiff|Playmobil pirate ship"],
            ["vollständig|complete", "mit Anleitung|with instructions", "mit OVP|boxed", "unbespielt|unplayed"], 10..180),
        item!("Holzeisenbahn|wooden railway", F, ["Brio", "Eichhorn", "IKEA Lillabo"], ["mit Brücke|with bridge", "80 Teile|80 pieces", "mit Zug|with train"], 10..90),
        item!("Puppenhaus|doll's house", N, ["", "Plan Toys", "Hape"], ["aus Holz|wooden", "mit Möbeln|with furniture", "3 Etagen|3 floors"], 15..120),
        item!("", N, ["Catan", "Carcassonne", "Zug um Zug|Ticket to Ride", "Dixit", "Azul", "Monopoly"],
            ["vollständig|complete", "mit Erweiterung|with expansion", "deutsche Ausgabe|German edition"], 5..40),
        item!("Laufrad|balance bike", N, ["Puky", "Kokua", "Woom"], ["12 Zoll|12 inch", "rot|red", "ab 2 Jahren|from age 2"], 15..120),
        item!("Kuscheltiere|cuddly toys", Pl, ["Steiff", "Sigikid", "Jellycat", ""], ["Sammlung|collection", "wie neu|like new", "5 Stück|set of 5"], 3..60),
    ], notes: &[
        "Alle Teile sind vollständig.|All parts complete.",
        "Aus tier- und rauchfreiem Haushalt.|From a pet- and smoke-free home.",
        "Wurde liebevoll bespielt.|Lovingly played with.",
        "Toll als Geschenk.|Great as a present.",
    ] },
    Sub { slug: "family/strollers", style: Style::Goods, weight: 3, items: &[
        item!("Kinderwagen|pram", M, ["Bugaboo Fox", "Joolz Day", "Teutonia", "Hartan", "ABC Design", "Cybex Priam"],
            ["mit Babywanne|with carrycot", "Kombi|travel system", "mit Regenschutz|with rain cover", "anthrazit|charcoal"], 80..700),
        item!("Buggy|buggy", M, ["Babyzen Yoyo", "Cybex Eezy S", "Maclaren", "Quinny Zapp"],
            ["kompakt faltbar|compact fold", "mit Sonnendach|with sun canopy", "bis 22 kg|up to 22 kg"], 30..300),
        item!("Geschwisterwagen|double pushchair", M, ["TFK", "Phil & Teds", "Bugaboo Donkey"], ["für Zwillinge|for twins", "mit Zubehör|with accessories"], 100..700),
        item!("Fahrradanhänger|bike trailer", M, ["Croozer", "Thule Chariot", "Burley"], ["für 2 Kinder|for 2 children", "mit Joggerrad|with jogging wheel"], 100..600),
    ], notes: &[
        "Reifen und Bremse sind in Ordnung.|Tyres and brake are fine.",
        "Die Bezüge können gewaschen werden.|The covers are washable.",
        "Passt zusammengeklappt in jeden Kofferraum.|Folded, it fits in any car boot.",
        "Das genannte Zubehör ist alles dabei.|All the accessories mentioned are included.",
    ] },
    Sub { slug: "vehicles/bicycles", style: Style::Goods, weight: 6, items: &[
        item!("Damenfahrrad|women's bike", N, ["Gazelle", "Kalkhoff", "Pegasus", "Hercules", "Batavus", ""],
            ["28 Zoll|28 inch", "7-Gang|7-speed", "Nabenschaltung|hub gears", "mit Korb|with basket", "Rahmenhöhe 50 cm|50 cm frame"], 60..450),
        item!("Herrenfahrrad|men's bike", N, ["Kalkhoff", "Cube", "KTM", "Pegasus", ""],
            ["28 Zoll|28 inch", "21-Gang|21-speed", "Rahmenhöhe 56 cm|56 cm frame", "mit Nabendynamo|with hub dynamo"], 60..450),
        item!("Rennrad|road bike", N, ["Canyon", "Specialized", "Trek", "Cube", "Rose", "Bianchi"],
            ["Rahmenhöhe 56 cm|56 cm frame", "Shimano 105", "Carbon|carbon", "Aluminium|aluminium"], 250..1800),
        item!("Mountainbike|mountain bike", N, ["Cube", "Canyon", "Giant", "Scott", "Ghost"],
            ["29 Zoll|29 inch", "27,5 Zoll|27.5 inch", "Fully|full suspension", "Hardtail|hardtail", "Größe L|size L"], 200..1600),
        item!("E-Bike|e-bike", N, ["Kalkhoff", "Riese & Müller", "Cube", "Stevens", "Gazelle"],
            ["Bosch-Motor|Bosch motor", "500 Wh", "Tiefeinsteiger|step-through", "mit Ladegerät|with charger"], 700..3200),
        item!("Kinderfahrrad|children's bike", N, ["Puky", "Woom", "Cube", "Scool"],
            ["16 Zoll|16 inch", "20 Zoll|20 inch", "24 Zoll|24 inch", "mit Stützrädern|with stabilisers"], 30..300),
        item!("Fahrradhelm|bike helmet", M, ["Abus", "Uvex", "Giro"], ["Größe M|size M", "mit Licht|with light", "für Kinder|for kids"], 10..60, notes: [
            "Unfallfrei, keine Risse.|Never crashed, no cracks.",
            "Innenpolster frisch gewaschen.|Padding freshly washed."]),
    ], notes: &[
        "Licht und Bremsen funktionieren.|Lights and brakes work.",
        "Frisch vom Fahrradladen durchgesehen.|Recently serviced at a bike shop.",
        "Die Reifen sind fast neu.|The tyres are almost new.",
        "Probefahrt gerne möglich.|Test ride welcome.",
        "Rahmennummer und Kaufbeleg sind vorhanden.|Frame number and receipt available.",
    ] },
    Sub { slug: "vehicles/cars", style: Style::Goods, weight: 3, items: &[
        item!("", M, ["VW Golf 7", "VW Polo", "Opel Astra", "Ford Fiesta", "BMW 320d", "Audi A4 Avant", "Mercedes C 200",
            "Skoda Octavia Combi", "Toyota Yaris Hybrid", "Renault Clio", "Fiat 500", "Seat Leon"],
            ["TÜV neu|new MOT", "TÜV bis 2027|MOT until 2027", "scheckheftgepflegt|full service history", "Automatik|automatic",
            "Diesel|diesel", "Benziner|petrol", "125.000 km|125,000 km", "89.000 km|89,000 km", "Anhängerkupplung|tow bar",
            "Winterreifen|winter tyres"], 1500..24000),
    ], notes: &[
        "Nichtraucherfahrzeug, keine Tiere.|Non-smoking car, no pets.",
        "Unfallfrei laut Vorbesitzer.|Accident-free according to the previous owner.",
        "Der Zahnriemen wurde vor kurzem gewechselt.|The timing belt was changed recently.",
        "Kleine Delle hinten links, sonst gut.|Small dent at the rear left, otherwise good.",
        "Probefahrt nach Absprache.|Test drive by arrangement.",
        "Zwei Schlüssel vorhanden.|Two keys.",
    ] },
    Sub { slug: "vehicles/motorcycles", style: Style::Goods, weight: 2, items: &[
        item!("", F, ["Honda CB500F", "Kawasaki Z650", "Yamaha MT-07", "BMW R 1200 GS", "KTM 390 Duke", "Suzuki SV650",
            "Vespa Primavera 125", "Piaggio Zip 50", "Simson S51"],
            ["A2-tauglich|A2 licence", "12.000 km|12,000 km", "TÜV neu|new MOT", "mit Koffern|with panniers", "gedrosselt|restricted"], 800..9000),
        item!("Motorradhelm|motorbike helmet", M, ["Shoei", "Schuberth", "Arai", "HJC"], ["Größe M|size M", "Größe L|size L", "mit Sonnenblende|with sun visor"], 40..350, notes: [
            "Unfallfrei, nie gestürzt.|Never dropped or crashed.",
            "Visier ohne Kratzer.|Visor without scratches."]),
    ], notes: &[
        "Steht trocken in der Garage.|Kept dry in a garage.",
        "Neue Reifen und neue Kette.|New tyres and new chain.",
        "Die Papiere sind vollständig.|Papers complete.",
        "Springt sofort an.|Starts first time.",
    ] },
    Sub { slug: "vehicles/parts", style: Style::Goods, weight: 3, items: &[
        item!("Winterreifen|winter tyres", Pl, ["Continental", "Michelin", "Goodyear", "Dunlop"],
            ["205/55 R16", "195/65 R15", "225/45 R17", "auf Alufelgen|on alloy wheels", "6 mm Profil|6 mm tread"], 60..450, notes: [
            "Profiltiefe steht in der Überschrift.|Tread depth as in the title.",
            "Trocken und dunkel gelagert.|Stored dry and dark."]),
        item!("Sommerreifen|summer tyres", Pl, ["Continental", "Michelin", "Bridgestone", "Pirelli"],
            ["205/55 R16", "195/65 R15", "225/45 R17", "auf Stahlfelgen|on steel wheels", "5 mm Profil|5 mm tread"], 50..400, notes: [
            "Profiltiefe steht in der Überschrift.|Tread depth as in the title.",
            "Trocken und dunkel gelagert.|Stored dry and dark."]),
        item!("Alufelgen|alloy wheels", Pl, ["BBS", "Borbet", "Original VW|genuine VW", "Original BMW|genuine BMW"],
            ["16 Zoll|16 inch", "17 Zoll|17 inch", "5x112", "mit Reifen|with tyres"], 80..600),
        item!("Dachbox|roof box", F, ["Thule", "Kamei", "Hapro"], ["420 l", "abschließbar|lockable", "mit Schlüsseln|with keys"], 60..350),
        item!("Fahrradträger|bike rack", M, ["Thule", "Atera", "Uebler"],
            ["für die Anhängerkupplung|for a tow bar", "für 2 Räder|for 2 bikes", "für 3 Räder|for 3 bikes"], 60..450),
        item!("Kindersitz|child car seat", M, ["Cybex Solution", "Britax Römer Kidfix", "Recaro"], ["Isofix", "15–36 kg"], 20..150),
    ], notes: &[
        "Passt für viele Modelle, bitte selbst prüfen.|Fits many models, please check yourself.",
        "Trocken gelagert.|Stored dry.",
        "Montageanleitung ist dabei.|Fitting instructions included.",
    ] },
    Sub { slug: "vehicles/boats", style: Style::Goods, weight: 1, items: &[
        item!("Kajak|kayak", N, ["Point 65", "Gumotex", "Itiwit", ""], ["aufblasbar|inflatable", "Zweisitzer|two-seater", "mit Paddel|with paddle"], 80..900),
        item!("Schlauchboot|inflatable boat", N, ["Zodiac", "Intex", "Bestway"], ["mit Außenborder|with outboard", "3,3 m|3.3 m", "4 Personen|4 people"], 40..1500),
        item!("SUP-Board|SUP board", N, ["Red Paddle", "Aqua Marina", "Bluefin"], ["aufblasbar|inflatable", "mit Paddel und Pumpe|with paddle and pump", "10'6\""], 80..600),
        item!("Außenbordmotor|outboard motor", M, ["Yamaha", "Mercury", "Tohatsu", "Honda"], ["5 PS|5 hp", "4-Takt|four-stroke", "Kurzschaft|short shaft"], 250..2500),
        item!("Segeljolle|sailing dinghy", F, ["Laser", "Optimist", "Hobie Cat"], ["mit Trailer|with trailer", "komplett|complete"], 400..4500),
        item!("Rettungswesten|life jackets", Pl, ["Secumar", "Baltic", ""], ["2 Stück|pair", "150 N", "automatisch|automatic"], 20..150),
    ], notes: &[
        "Dicht und einsatzbereit.|Watertight and ready to go.",
        "Nur im Süßwasser genutzt.|Only used in fresh water.",
        "Zubehör wie beschrieben dabei.|Accessories included as described.",
    ] },
    Sub { slug: "leisure/sports", style: Style::Goods, weight: 5, items: &[
        item!("Zelt|tent", N, ["Vaude", "Jack Wolfskin", "MSR", "Coleman", "Quechua"],
            ["2 Personen|2-person", "4 Personen|4-person", "ultraleicht|ultralight", "Familienzelt|family tent"], 20..350),
        item!("Schlafsack|sleeping bag", M, ["Deuter", "Mammut", "Vaude"], ["Daune|down", "Komfort 0 °C|comfort 0 °C", "mit Packsack|with stuff sack"], 15..150),
        item!("Ski|skis", Pl, ["Atomic", "Völkl", "Rossignol", "Head"], ["170 cm", "mit Bindung|with bindings", "Allmountain|all-mountain"], 40..300),
        item!("Hanteln|dumbbells", Pl, ["", "Kettler", "Gorilla Sports"], ["2 x 10 kg", "verstellbar|adjustable", "mit Ständer|with rack"], 15..150),
        item!("Laufband|treadmill", N, ["Kettler", "Sportstech", "Horizon"], ["klappbar|foldable", "bis 16 km/h|up to 16 km/h"], 80..700),
        item!("Tennisschläger|tennis racket", M, ["Head", "Wilson", "Babolat"], ["Griffstärke 3|grip size 3", "mit Hülle|with cover", "neu bespannt|freshly strung"], 15..120),
        item!("Fußballschuhe|football boots", Pl, ["Adidas Predator", "Nike Mercurial", "Puma"], ["Größe 42|size 8", "Nocken|moulded studs", "Kunstrasen|artificial turf"], 10..80),
        item!("Yogamatte|yoga mat", F, ["Manduka", "Lotuscrafts", ""], ["rutschfest|non-slip", "6 mm", "mit Tragegurt|with strap"], 5..60),
    ], notes: &[
        "Nur wenige Male benutzt.|Only used a few times.",
        "Alles vollständig und sauber.|Everything complete and clean.",
        "Hobby aufgegeben, daher abzugeben.|Gave up the hobby, so it has to go.",
        "Ideal für Einsteiger.|Ideal for beginners.",
    ] },
    Sub { slug: "leisure/crafts", style: Style::Goods, weight: 2, items: &[
        item!("Nähmaschine|sewing machine", F, ["Singer", "Brother", "Pfaff", "Bernina", "Janome"],
            ["mit Fußpedal|with foot pedal", "Overlock|overlocker", "mit Zubehör|with accessories"], 40..500),
        item!("Wolle|yarn", F, ["Lana Grossa", "Drops", "Schachenmayr"], ["Merino|merino", "10 Knäuel|10 balls", "Restposten|leftovers"], 5..40),
        item!("Acrylfarben|acrylic paints", Pl, ["Schmincke", "Liquitex", "Winsor & Newton"], ["24 Tuben|24 tubes", "mit Pinseln|with brushes", "unbenutzt|unused"], 5..60),
        item!("Staffelei|easel", F, ["", "Mabef"], ["Holz|wood", "höhenverstellbar|adjustable"], 15..120),
        item!("Stoffe|fabrics", Pl, ["", "Swafing"], ["Baumwolle|cotton", "Jersey|jersey", "3 m", "Reste|remnants"], 5..40),
        item!("", M, ["Cricut Maker", "Silhouette Cameo 4", "Brother ScanNCut"], ["mit Matten|with mats", "mit Folie|with vinyl", "Plotter|cutting plotter"], 80..350),
    ], notes: &[
        "Perfekt für Einsteiger.|Perfect for beginners.",
        "Hobbyauflösung, es gibt noch mehr.|Clearing out my hobby, there's more.",
        "Alles sauber gelagert.|Everything stored clean.",
    ] },
    Sub { slug: "leisure/collecting", style: Style::Goods, weight: 3, items: &[
        item!("Briefmarkensammlung|stamp collection", F, ["", "Bund|West German", "DDR|East German"], ["in Alben|in albums", "postfrisch|mint", "gestempelt|used"], 10..300),
        item!("Münzen|coins", Pl, ["", "2-Euro|2 euro", "DM|Deutsche Mark"], ["Gedenkmünzen|commemorative", "Sammlung|collection", "in Kapseln|in capsules"], 5..300),
        item!("Sammelkarten|trading cards", Pl, ["Pokémon", "Panini", "Magic: The Gathering", "Yu-Gi-Oh!"],
            ["Sammlung|collection", "im Ordner|in a binder", "Holo|holo", "Erstauflage|first edition"], 5..300),
        item!("Modellautos|model cars", Pl, ["Siku", "Matchbox", "Hot Wheels", "Wiking", "Märklin"], ["1:87", "1:43", "mit OVP|boxed", "50 Stück|50 pieces"], 5..200),
        item!("Modelleisenbahn|model railway", F, ["Märklin", "Roco", "Fleischmann", "Piko"],
            ["H0", "Spur N|N gauge", "mit Schienen|with track", "Startset|starter set"], 30..600),
        item!("Überraschungsei-Figuren|Kinder Surprise toys", Pl, [""], ["Komplettsatz|complete set", "mit Beipackzetteln|with leaflets"], 3..60),
    ], notes: &[
        "Aus einem Nachlass.|From an estate.",
        "Die Sammlung wird nur komplett abgegeben.|The collection is only sold as a whole.",
        "Weitere Fotos auf Anfrage.|More photos on request.",
    ] },
    Sub { slug: "leisure/tickets", style: Style::Ticket, weight: 2, items: &[
        item!("Konzertkarten|concert tickets", Pl, ["Die Ärzte", "Coldplay", "Helene Fischer", "Rammstein", "Herbert Grönemeyer",
            "Ed Sheeran", "AnnenMayKantereit", "Peter Fox"],
            ["2 Stück|pair", "Stehplatz|standing", "Sitzplatz|seated", "Innenraum|floor"], 30..220, notes: [
            "Ich kann leider nicht hingehen.|Unfortunately I can't go.",
            "Übergabe persönlich oder über die offizielle Plattform.|Handover in person or via the official platform.",
            "Verkauf zum Originalpreis, keine Spekulation.|Sold at face value, no speculation."]),
        item!("Fußballtickets|football tickets", Pl, ["FC St. Pauli", "1. FC Köln", "Borussia Dortmund", "Hertha BSC", "VfB Stuttgart", "Werder Bremen"],
            ["Heimspiel|home game", "2 Stück|pair", "Stehplatz|standing", "Sitzplatz|seated"], 15..120),
        item!("Gutschein|voucher", M, ["Amazon", "Zalando", "IKEA", "Thalia", "MediaMarkt", "Douglas"], ["50 €|€50", "100 €|€100", "25 €|€25"], 15..90, notes: [
            "Der Gutschein ist noch lange gültig.|The voucher is valid for a long time.",
            "Habe ihn geschenkt bekommen, brauche ihn aber nicht.|It was a present, but I don't need it.",
            "Der Code wird nach Bezahlung verschickt.|The code is sent after payment."]),
        item!("Musicaltickets|musical tickets", Pl, ["König der Löwen|The Lion King", "Tina", "Hamilton", "Starlight Express"],
            ["2 Stück|pair", "Parkett|stalls", "Samstagabend|Saturday evening"], 60..300),
    ], notes: TICKET_NOTES },
    Sub { slug: "media/books", style: Style::Goods, weight: 6, items: &[
        item!("Bücherpaket|book bundle", N, ["", "Krimi|crime", "Fantasy|fantasy", "Liebesroman|romance"],
            ["20 Bücher|20 books", "Taschenbücher|paperbacks", "gemischt|mixed"], 5..40),
        item!("", F, ["Harry-Potter-Reihe|Harry Potter series", "Tribute-von-Panem-Reihe|Hunger Games series",
            "Herr-der-Ringe-Trilogie|Lord of the Rings trilogy", "Die-drei-???-Sammlung|Three Investigators collection"],
            ["komplett|complete", "gebunden|hardcover", "Taschenbuch|paperback"], 10..80),
        item!("Kochbuch|cookbook", N, ["Jamie Oliver", "Tim Mälzer", "Ottolenghi", "Thermomix"], ["wie neu|like new", "gebunden|hardcover"], 4..25),
        item!("Schulbücher|school books", Pl, ["Cornelsen", "Klett", "Westermann"],
            ["Klasse 7|year 7", "Oberstufe|upper school", "Mathematik|maths", "Englisch|English"], 3..20),
        item!("Kinderbücher|children's books", Pl, ["", "Grüffelo|Gruffalo", "Conni", "Raupe Nimmersatt|Very Hungry Caterpillar"],
            ["Paket|bundle", "ab 3 Jahren|age 3+", "Pappbilderbücher|board books"], 2..30),
        item!("Comics|comics", Pl, ["Asterix", "Lustiges Taschenbuch|Donald Duck", "Marvel", "One Piece"],
            ["Sammlung|collection", "Band 1–20|volumes 1–20", "Erstausgaben|first editions"], 5..150),
    ], notes: &[
        "Nichtraucherhaushalt, keine Eselsohren.|Non-smoking home, no dog-ears.",
        "Das Bücherregal wird ausgemistet.|Clearing out the bookshelf.",
        "Versand als Büchersendung möglich.|Can be sent as book post.",
    ] },
    Sub { slug: "media/music", style: Style::Goods, weight: 3, items: &[
        item!("Schallplatten|vinyl records", Pl, ["The Beatles", "Pink Floyd", "ABBA", "Udo Lindenberg", "Jazz", "Depeche Mode"],
            ["LP", "Sammlung|collection", "Erstpressung|first pressing", "30 Stück|30 records"], 5..250),
        item!("CDs|CDs", Pl, ["", "Pop|pop", "Klassik|classical", "Hip-Hop|hip-hop"], ["Sammlung|collection", "100 Stück|100 CDs", "mit Hüllen|with cases"], 5..60),
        item!("Kassetten|cassettes", Pl, ["", "Benjamin Blümchen", "Die drei ???|Three Investigators", "TKKG"], ["Sammlung|collection", "20 Stück|20 tapes"], 5..80),
        item!("Notenhefte|sheet music", Pl, ["Schott", "Bärenreiter", "Henle"], ["Klavier|piano", "Gitarre|guitar", "für Anfänger|for beginners"], 3..30),
    ], notes: &[
        "Alle abgespielt und geprüft.|All played and checked.",
        "Cover mit leichten Gebrauchsspuren.|Sleeves with light signs of wear.",
        "Eine Liste schicke ich gern per Nachricht.|Happy to send a list by message.",
    ] },
    Sub { slug: "media/films", style: Style::Goods, weight: 2, items: &[
        item!("DVD-Sammlung|DVD collection", F, ["", "Disney", "Marvel", "Tatort"], ["50 Filme|50 films", "Boxset|box set", "deutsch|German"], 5..80),
        item!("Blu-rays|Blu-rays", Pl, ["Star Wars", "Harry Potter", "Herr der Ringe|Lord of the Rings", "James Bond"],
            ["Komplettbox|complete box set", "Steelbook|steelbook", "4K UHD"], 5..120),
        item!("Serienbox|box set", F, ["Friends", "Game of Thrones", "Breaking Bad", "Die Simpsons|The Simpsons"],
            ["komplett|complete", "Staffel 1–5|seasons 1–5", "DVD", "Blu-ray"], 10..80),
        item!("Beamer|projector", M, ["Epson", "BenQ", "Optoma"], ["Full HD", "mit Leinwand|with screen", "mit Deckenhalterung|with ceiling mount"], 60..500),
    ], notes: &[
        "Alle Scheiben ohne Kratzer.|All discs free of scratches.",
        "Überwiegend nur einmal geschaut.|Mostly watched only once.",
        "Kann auch verschickt werden.|Can also be posted.",
    ] },
    Sub { slug: "media/instruments", style: Style::Goods, weight: 3, items: &[
        item!("Gitarre|guitar", F, ["Yamaha", "Fender Stratocaster", "Gibson Les Paul", "Ibanez", "Epiphone", "Cort"],
            ["Akustik|acoustic", "E-Gitarre|electric", "mit Tasche|with gig bag", "Konzertgitarre|classical", "für Linkshänder|left-handed"], 60..1200),
        item!("Digitalpiano|digital piano", N, ["Yamaha P-45", "Roland FP-30", "Kawai", "Casio Privia"],
            ["88 Tasten|88 keys", "mit Ständer|with stand", "gewichtete Tastatur|weighted keys"], 150..900),
        item!("Keyboard|keyboard", N, ["Yamaha", "Casio", "Korg"], ["61 Tasten|61 keys", "mit Netzteil|with power supply", "für Anfänger|for beginners"], 30..250),
        item!("Schlagzeug|drum kit", N, ["Pearl", "Tama", "Millenium", "Roland TD-07"], ["E-Drum|electronic", "mit Becken|with cymbals", "Komplettset|complete kit"], 120..900),
        item!("Geige|violin", F, ["", "Stentor", "Yamaha"], ["4/4", "3/4", "mit Koffer|with case", "mit Bogen|with bow"], 60..600),
        item!("Gitarrenverstärker|guitar amp", M, ["Marshall", "Fender", "Boss Katana", "Vox AC30"], ["50 W", "Combo|combo", "mit Fußschalter|with footswitch"], 40..500),
    ], notes: &[
        "Klingt super, frisch eingestellt.|Sounds great, freshly set up.",
        "Wurde wenig gespielt.|Barely played.",
        "Kann gerne angespielt werden.|You're welcome to play it before buying.",
        "Ich steige auf ein anderes Instrument um.|I'm switching to another instrument.",
    ] },
    Sub { slug: "pets/accessories", style: Style::Goods, weight: 2, items: &[
        item!("Kratzbaum|cat tree", M, ["", "Trixie", "Kerbl"], ["deckenhoch|floor-to-ceiling", "160 cm", "beige"], 15..120),
        item!("Hundebox|dog crate", F, ["", "Trixie", "Savic"], ["Größe L|size L", "faltbar|foldable", "fürs Auto|for the car"], 20..150),
        item!("Aquarium|aquarium", N, ["Juwel", "Eheim", "Tetra"], ["120 l", "mit Unterschrank|with cabinet", "komplett|complete setup", "240 l"], 30..400),
        item!("Kaninchenstall|rabbit hutch", M, ["", "Kerbl"], ["mit Auslauf|with run", "Holz|wood", "2 Etagen|2 floors"], 20..180),
        item!("Hundebett|dog bed", N, ["", "Trixie", "Knuffelwuff"], ["Größe XL|size XL", "waschbar|washable", "orthopädisch|orthopaedic"], 10..80),
        item!("Vogelkäfig|bird cage", M, ["", "Montana"], ["mit Zubehör|with accessories", "groß|large"], 15..150),
    ], notes: &[
        "Gereinigt und desinfiziert.|Cleaned and disinfected.",
        "Unser Tier braucht es leider nicht mehr.|Our pet sadly no longer needs it.",
        "Alles vollständig.|Everything complete.",
    ] },
    Sub { slug: "pets/rehoming", style: Style::Animal, weight: 1, items: &[
        item!("Katze|cat", F, [""], ["2 Jahre alt|2 years old", "getigert|tabby", "kastriert|neutered", "Wohnungskatze|indoor cat"], 20..150),
        item!("Kater|tomcat", M, [""], ["1 Jahr alt|1 year old", "schwarz|black", "Freigänger|outdoor cat", "kastriert|neutered"], 20..150),
        item!("Zwergkaninchen|dwarf rabbits", Pl, [""], ["2 Stück|pair", "Weibchen|females", "mit Stall|with hutch"], 10..60),
        item!("Meerschweinchen|guinea pigs", Pl, [""], ["2 Böckchen|two boars", "Pärchen|pair", "mit Käfig|with cage"], 10..50),
        item!("Wellensittiche|budgies", Pl, [""], ["Pärchen|pair", "mit Käfig|with cage", "handzahm|hand-tame"], 10..60),
        item!("Hund|dog", M, [""], ["Labrador-Mix|Labrador mix", "3 Jahre alt|3 years old", "kinderlieb|good with children", "geimpft und gechippt|vaccinated and chipped"], 50..350),
    ], notes: &[
        "Geimpft und entwurmt.|Vaccinated and dewormed.",
        "Nur in liebevolle Hände, gern mit Vorbesuch.|Only to a loving home, a visit beforehand is welcome.",
        "Zubehör geben wir gern mit.|Happy to include the equipment.",
        "Verträgt sich gut mit Kindern.|Gets on well with children.",
    ] },
    Sub { slug: "services/tutoring", style: Style::Service, weight: 2, items: &[
        item!("Mathe-Nachhilfe|maths tutoring", F, [""], ["alle Klassen|all years", "Oberstufe|upper school", "online oder vor Ort|online or in person", "bis Klasse 10|up to year 10"], 15..40),
        item!("Englischunterricht|English lessons", M, [""], ["für Anfänger|for beginners", "Konversation|conversation", "von Muttersprachler|by a native speaker", "online"], 15..45),
        item!("Klavierunterricht|piano lessons", M, [""], ["für Kinder und Erwachsene|for children and adults", "bei euch zu Hause|at your home"], 20..50),
        item!("Deutschkurs|German lessons", M, [""], ["A1 bis B2|A1 to B2", "Einzelunterricht|one-to-one", "Prüfungsvorbereitung|exam preparation"], 15..40),
        item!("Gitarrenunterricht|guitar lessons", M, [""], ["für Anfänger und Fortgeschrittene|beginners and advanced", "Akustik und E-Gitarre|acoustic and electric"], 15..40),
        item!("Hausaufgabenbetreuung|homework help", F, [""], ["Grundschule|primary school", "nachmittags|afternoons"], 12..25),
    ], notes: &[
        "Ich studiere Lehramt und habe mehrere Jahre Erfahrung.|I'm training to be a teacher and have several years of experience.",
        "Die erste Stunde ist ein kostenloses Kennenlernen.|The first lesson is a free trial.",
        "Der Preis gilt für 60 Minuten.|The price is for 60 minutes.",
        "Material bringe ich mit.|I bring the materials.",
    ] },
    Sub { slug: "services/moving", style: Style::Service, weight: 1, items: &[
        item!("Umzugshelfer|removal helpers", Pl, [""], ["mit Transporter|with van", "2 Personen|2 people", "kurzfristig|short notice"], 20..60),
        item!("Transporter mit Fahrer|van with driver", M, [""], ["3,5 t|3.5 t", "ganztags|full day", "für Möbel|for furniture"], 30..80),
        item!("Entrümpelung|house clearance", F, [""], ["Keller und Dachboden|cellar and attic", "besenrein|swept clean"], 30..300),
        item!("Möbelmontage|furniture assembly", F, [""], ["IKEA-Möbel|IKEA furniture", "Küchen|kitchens", "Schränke|wardrobes"], 20..45),
    ], notes: &[
        "Preis pro Stunde und Helfer.|Price per hour and helper.",
        "Versichert und erfahren.|Insured and experienced.",
        "Auch am Wochenende möglich.|Weekends possible too.",
        "Kartons können gestellt werden.|Boxes can be provided.",
    ] },
    Sub { slug: "services/repairs", style: Style::Service, weight: 1, items: &[
        item!("Fahrradreparatur|bike repairs", F, [""], ["alle Marken|all brands", "Inspektion|service", "mobil|mobile"], 10..60),
        item!("Handyreparatur|phone repairs", F, [""], ["Displaytausch|screen replacement", "Akkutausch|battery replacement", "iPhone und Samsung|iPhone and Samsung"], 30..120),
        item!("Computerhilfe|computer help", F, [""], ["vor Ort|on site", "Virenentfernung|virus removal", "Einrichtung|set-up"], 20..50),
        item!("Nähservice|sewing service", M, [""], ["Änderungen|alterations", "Reißverschluss|zip repairs", "Hosen kürzen|trouser hems"], 8..30),
        item!("Malerarbeiten|painting and decorating", Pl, [""], ["Wohnung streichen|painting flats", "Tapezieren|wallpapering"], 20..45),
    ], notes: &[
        "Kostenloser Kostenvoranschlag.|Free quote.",
        "Schnell und zuverlässig.|Quick and reliable.",
        "Ersatzteile zum Einkaufspreis.|Spare parts at cost.",
    ] },
    Sub { slug: "services/care", style: Style::Service, weight: 1, items: &[
        item!("Babysitting|babysitting", N, [""], ["abends|evenings", "mit Erfahrung|experienced", "Erste-Hilfe-Kurs|first-aid trained"], 12..20),
        item!("Hundebetreuung|dog sitting", F, [""], ["Gassi gehen|dog walking", "Urlaubsbetreuung|holiday care"], 10..30),
        item!("Seniorenbetreuung|elderly care", F, [""], ["Einkäufe und Begleitung|shopping and company", "stundenweise|by the hour"], 15..30),
        item!("Katzenbetreuung|cat sitting", F, [""], ["während des Urlaubs|during holidays", "mit Hausbesuch|home visits"], 10..20),
    ], notes: &[
        "Ich habe ein erweitertes Führungszeugnis.|I have an enhanced background check.",
        "Referenzen auf Anfrage.|References on request.",
        "Flexibel, auch kurzfristig.|Flexible, also at short notice.",
    ] },
    Sub { slug: "real-estate/rent", style: Style::Flat, weight: 2, items: &[
        item!("2-Zimmer-Wohnung|2-room flat", F, [""], ["54 m²", "mit Balkon|with balcony", "Altbau|period building", "Einbauküche|fitted kitchen", "3. OG|3rd floor"], 450..1400),
        item!("3-Zimmer-Wohnung|3-room flat", F, [""], ["78 m²", "mit Garten|with garden", "Neubau|new build", "mit Aufzug|with lift"], 650..1900),
        item!("1-Zimmer-Apartment|studio flat", N, [""], ["28 m²", "möbliert|furnished", "nahe Uni|near the university"], 350..850),
        item!("Dachgeschosswohnung|attic flat", F, [""], ["65 m²", "mit Dachterrasse|with roof terrace", "2 Zimmer|2 rooms"], 550..1500),
    ], notes: &[
        "Die Miete ist warm, inklusive Nebenkosten.|The rent includes bills.",
        "Keine Haustiere.|No pets.",
        "Kaution: drei Monatsmieten.|Deposit: three months' rent.",
        "Ruhige Hausgemeinschaft, gute Anbindung an Bus und Bahn.|Quiet building with good public transport links.",
    ] },
    Sub { slug: "real-estate/shared", style: Style::Flat, weight: 2, items: &[
        item!("WG-Zimmer|room in a shared flat", N, [""], ["14 m²", "18 m²", "möbliert|furnished", "ab sofort|available now", "Zwischenmiete|sublet"], 280..750),
        item!("Zimmer in 3er-WG|room in a flat share for 3", N, [""], ["16 m²", "unbefristet|open-ended", "mit Balkon|with balcony"], 300..700),
    ], notes: &[
        "Wir sind eine entspannte WG und suchen jemand Nettes.|We're a relaxed flat share looking for someone nice.",
        "Küche und Bad teilen wir uns.|We share the kitchen and bathroom.",
        "Schreibt uns kurz etwas über euch.|Tell us a bit about yourself.",
        "Internet ist in der Miete enthalten.|Internet included in the rent.",
    ] },
    Sub { slug: "real-estate/parking", style: Style::Parking, weight: 1, items: &[
        item!("Tiefgaragenstellplatz|underground parking space", M, [""], ["zentral|central", "mit Stromanschluss|with power socket", "ab sofort|available now"], 40..180),
        item!("Garage|garage", F, [""], ["Einzelgarage|single garage", "mit Strom|with electricity", "auch als Lager|also for storage"], 50..150),
        item!("Stellplatz|parking space", M, [""], ["im Hof|in the courtyard", "für Wohnmobil|for a camper van", "überdacht|covered"], 25..120),
    ], notes: &[
        "Zufahrt mit Fernbedienung.|Access by remote control.",
        "Kündigungsfrist drei Monate.|Three months' notice.",
        "Ideal auch für Motorräder.|Also ideal for motorbikes.",
    ] },
];

/// Real postal codes and towns, the big cities first (they are picked more often).
static PLACES: &[(&str, &str)] = &[
    ("10115", "Berlin"),
    ("10997", "Berlin"),
    ("12043", "Berlin"),
    ("20095", "Hamburg"),
    ("22765", "Hamburg"),
    ("80331", "München"),
    ("81667", "München"),
    ("50667", "Köln"),
    ("60311", "Frankfurt am Main"),
    ("70173", "Stuttgart"),
    ("40213", "Düsseldorf"),
    ("04109", "Leipzig"),
    ("44135", "Dortmund"),
    ("45127", "Essen"),
    ("28195", "Bremen"),
    ("01067", "Dresden"),
    ("30159", "Hannover"),
    ("90402", "Nürnberg"),
    ("47051", "Duisburg"),
    ("44787", "Bochum"),
    ("42103", "Wuppertal"),
    ("33602", "Bielefeld"),
    ("53111", "Bonn"),
    ("48143", "Münster"),
    ("76133", "Karlsruhe"),
    ("68159", "Mannheim"),
    ("86150", "Augsburg"),
    ("65183", "Wiesbaden"),
    ("41061", "Mönchengladbach"),
    ("38100", "Braunschweig"),
    ("24103", "Kiel"),
    ("09111", "Chemnitz"),
    ("06108", "Halle (Saale)"),
    ("39104", "Magdeburg"),
    ("79098", "Freiburg im Breisgau"),
    ("23552", "Lübeck"),
    ("99084", "Erfurt"),
    ("18055", "Rostock"),
    ("55116", "Mainz"),
    ("34117", "Kassel"),
    ("52062", "Aachen"),
    ("93047", "Regensburg"),
    ("97070", "Würzburg"),
    ("14467", "Potsdam"),
    ("69117", "Heidelberg"),
    ("26122", "Oldenburg"),
    ("49074", "Osnabrück"),
    ("89073", "Ulm"),
    ("37073", "Göttingen"),
    ("07743", "Jena"),
];

static FIRST_NAMES: &[&str] = &[
    "Anna",
    "Lena",
    "Lea",
    "Hannah",
    "Sophie",
    "Marie",
    "Laura",
    "Julia",
    "Sarah",
    "Lisa",
    "Katharina",
    "Johanna",
    "Emma",
    "Mia",
    "Clara",
    "Paula",
    "Charlotte",
    "Sabine",
    "Petra",
    "Monika",
    "Claudia",
    "Andrea",
    "Birgit",
    "Susanne",
    "Ayşe",
    "Elif",
    "Katarzyna",
    "Olga",
    "Giulia",
    "Leon",
    "Lukas",
    "Jonas",
    "Felix",
    "Paul",
    "Maximilian",
    "Ben",
    "Finn",
    "Elias",
    "Noah",
    "Tim",
    "Jan",
    "Niklas",
    "David",
    "Thomas",
    "Michael",
    "Andreas",
    "Stefan",
    "Markus",
    "Christian",
    "Frank",
    "Jürgen",
    "Klaus",
    "Uwe",
    "Mehmet",
    "Yusuf",
    "Can",
    "Piotr",
    "Dmitri",
    "Marco",
    "Ole",
];

static LAST_NAMES: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Yılmaz",
    "Kaya",
    "Nowak",
    "Kowalski",
];

static BIOS: &[&str] = &[
    "Ich verkaufe ab und zu Sachen, die wir nicht mehr brauchen.|Now and then I sell things we no longer need.",
    "Familie mit zwei Kindern, wir misten regelmäßig aus.|Family with two kids, we declutter regularly.",
    "Student, Abholung meist abends möglich.|Student, collection usually possible in the evening.",
    "Schnelle Antworten, faire Preise.|Quick replies, fair prices.",
    "Hobbyfotograf und Radfahrer.|Amateur photographer and cyclist.",
    "Lieber weiterverkaufen als wegwerfen.|Better to pass things on than throw them away.",
    "Ich antworte meistens am selben Tag.|I usually reply the same day.",
    "Bitte nur ernst gemeinte Anfragen.|Serious enquiries only, please.",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Backend;
    use crate::listings::{ListingDraft, Listings};
    use marktchat_shared::listing::{Category, City, Description, ListingTitle, PostalCode};
    use marktchat_shared::{Bio, CurrentUser, DisplayName, Email, Location, Role, UserId};
    use marktchat_test_macros::db_test;
    use std::collections::HashSet;

    const NOW: i64 = 1_750_000_000_000;

    fn sellers(n: usize) -> Vec<Seller> {
        let mut rng = stream(7, Stream::Users);
        (0..n).map(|i| user(&mut rng, i + 1, NOW).seller()).collect()
    }

    fn generate(seed: u64, sellers: &[Seller], n: usize) -> Vec<ListingSeed> {
        let mut g = ListingGen::new(seed, sellers, NOW).unwrap();
        (0..n).map(|_| g.next()).collect()
    }

    /// German amounts as a person types them: "1234,50".
    fn amount(cents: u64) -> String {
        format!("{},{:02}", cents / 100, cents % 100)
    }

    #[test]
    fn same_seed_same_data() {
        let s = sellers(50);
        assert_eq!(s, sellers(50));
        let a = generate(1, &s, 500);
        assert_eq!(a, generate(1, &s, 500));
        let b = generate(2, &s, 500);
        assert_ne!(
            a.iter().map(|l| &l.id).collect::<Vec<_>>(),
            b.iter().map(|l| &l.id).collect::<Vec<_>>()
        );
        let mut pictures = stream(1, Stream::Pictures);
        let mut again = stream(1, Stream::Pictures);
        assert_eq!(picture(&mut pictures), picture(&mut again));
        let gen = ListingGen::new(3, &s, NOW).unwrap();
        assert_eq!(gen.peek_id(), generate(3, &s, 1)[0].id);
    }

    #[test]
    fn every_subcategory_has_words_and_nothing_else_does() {
        let subs: Vec<_> = Category::all().filter(|c| !c.is_top()).map(|c| c.slug).collect();
        let with_words: Vec<_> = SUBS.iter().map(|s| s.slug).collect();
        for slug in &subs {
            assert!(with_words.contains(slug), "no demo words for {slug}");
        }
        for slug in &with_words {
            assert!(subs.contains(slug), "demo words for unknown subcategory {slug}");
        }
        for sub in SUBS {
            assert!(!sub.items.is_empty() && !sub.notes.is_empty(), "{}", sub.slug);
            for item in sub.items {
                assert!(!item.details.is_empty(), "{} {}", sub.slug, item.noun);
                assert!(
                    item.euros.0 >= 1 && item.euros.0 < item.euros.1,
                    "{} {}",
                    sub.slug,
                    item.noun
                );
                if item.noun.is_empty() {
                    assert!(
                        item.brands.iter().all(|b| !b.is_empty()),
                        "{}: a thing needs a name",
                        sub.slug
                    );
                }
            }
        }
    }

    #[test]
    fn generated_listings_pass_the_shared_rules() {
        let s = sellers(200);
        let listings = generate(11, &s, 20_000);
        let mut categories = HashSet::new();
        let mut titles = HashSet::new();
        let (mut fixed, mut negotiable, mut free, mut english) = (0, 0, 0, 0);
        let mut statuses = HashSet::new();
        for l in &listings {
            let (kind, amount) = match l.price {
                Price::Fixed { cents } => {
                    fixed += 1;
                    ("fixed", amount(cents))
                }
                Price::Negotiable { cents } => {
                    negotiable += 1;
                    ("negotiable", cents.map(amount).unwrap_or_default())
                }
                Price::Free => {
                    free += 1;
                    ("free", String::new())
                }
            };
            let draft = ListingDraft::parse(
                &l.title,
                &l.description,
                kind,
                &amount,
                l.category,
                l.postal_code,
                l.city,
            )
            .unwrap_or_else(|e| panic!("{l:?}: {e}"));
            // Stored exactly as a form would store them.
            assert_eq!(draft.title.as_str(), l.title);
            assert_eq!(draft.description.as_str(), l.description);
            assert_eq!(draft.price, l.price);
            assert_eq!(draft.category.top().slug, l.top_category);
            assert_eq!(ListingTitle::parse(&l.title).unwrap().as_str(), l.title);
            assert!(Description::parse(&l.description).is_ok());
            assert!(PostalCode::parse(l.postal_code).is_ok() && City::parse(l.city).is_ok());
            assert!(
                !l.title.contains("  ") && !l.title.contains("()") && !l.title.ends_with(','),
                "{}",
                l.title
            );
            assert!(
                !l.description.contains("()") && !l.description.contains('{'),
                "{}",
                l.description
            );
            assert!(l.created_at <= l.updated_at && l.updated_at <= NOW);
            assert!(l.created_at >= NOW - 90 * DAY_MS);
            assert!(l.created_at >= s[l.seller].created_at);
            if let Price::Fixed { cents } = l.price {
                assert!(cents > 0 && cents <= 30_000 * 100, "{}: {cents}", l.title);
            }
            assert!(l.title.matches("Größe").count() <= 1, "{}", l.title);
            assert!(!l.title.ends_with(['–', ',', ' ']), "no dangling separator: {}", l.title);
            assert!(l.title.matches(" GB").count() <= 1 || l.title.contains("RAM"), "{}", l.title);
            categories.insert(l.category);
            titles.insert(l.title.clone());
            statuses.insert(l.status);
            english += usize::from(l.english);
        }
        assert_eq!(categories.len(), SUBS.len(), "every subcategory appears");
        assert!(titles.len() > 12_000, "titles vary: {} distinct of 20,000", titles.len());
        assert!(fixed > 14_000 && negotiable > 1_500 && free > 800, "{fixed} {negotiable} {free}");
        assert!((1_000..6_000).contains(&english), "some English: {english}");
        assert_eq!(statuses.len(), 4, "active, reserved, sold, inactive");
        assert!(!statuses.contains(&ListingStatus::Deleted));
    }

    #[test]
    fn generated_users_pass_the_shared_rules() {
        let mut rng = stream(5, Stream::Users);
        let users: Vec<_> = (0..2000).map(|i| user(&mut rng, i + 1, NOW)).collect();
        let mut ids = HashSet::new();
        for u in &users {
            assert!(ids.insert(&u.id));
            assert_eq!(Email::parse(&u.email).unwrap().as_str(), u.email);
            assert_eq!(DisplayName::parse(&u.display_name).unwrap().as_str(), u.display_name);
            if let Some(l) = u.location {
                assert!(Location::parse(l).unwrap().is_some());
            }
            if let Some(b) = u.bio {
                assert!(Bio::parse(b).unwrap().is_some());
            }
            assert!(u.created_at < NOW - 90 * DAY_MS);
        }
        assert_eq!(users[0].email, "demo1@example.org");
        assert!(users.iter().any(|u| u.language == Language::En));
        assert!(Password::parse(&random_password(), None).is_ok());
    }

    #[test]
    fn contradicting_details_are_not_combined() {
        assert!(!compatible("Größe 38|size 5", "Größe 40|size 6.5"));
        assert!(!compatible("64 GB", "128 GB"));
        assert!(!compatible("W28/L32", "W30/L32"));
        assert!(!compatible("205/55 R16", "195/65 R15"));
        assert!(!compatible("schwarz|black", "weiß|white"));
        assert!(!compatible("Akku|cordless", "Benzin|petrol"));
        assert!(!compatible("mit OVP|boxed", "OVP|boxed"));
        assert!(!compatible("wie neu|like new", "wie neu|like new"));
        assert!(compatible("8 GB RAM", "256 GB SSD"));
        assert!(compatible("Größe 42|size 8", "Gore-Tex"));
        assert!(compatible("28 Zoll|28 inch", "mit Korb|with basket"));
        assert!(compatible("schwarz|black", ""));
    }

    #[test]
    fn german_adjectives_follow_the_gender() {
        let words = |gender, noun: &str| Words {
            english: false,
            gender,
            thing: noun.into(),
            plain: true,
            adjective: "gebraucht",
            detail: "",
            detail2: "",
            condition: "",
            city: "Köln",
        };
        assert_eq!(words(Gender::N, "Damenfahrrad").adjective_first(), "Gebrauchtes");
        assert_eq!(words(Gender::M, "Kinderwagen").adjective_first(), "Gebrauchter");
        assert_eq!(words(Gender::F, "Waschmaschine").adjective_first(), "Gebrauchte");
        assert_eq!(
            words(Gender::M, "Kinderwagen").fill("Verkaufe {my} {thing} ({detail})."),
            "Verkaufe meinen Kinderwagen."
        );
        assert_eq!(
            words(Gender::Pl, "Kopfhörer").fill("Hier gibt es {a} {thing}."),
            "Hier gibt es Kopfhörer."
        );
        let mut english = words(Gender::N, "e-bike");
        english.english = true;
        assert_eq!(
            english.fill("I'm letting {a} {thing} in {city}."),
            "I'm letting an e-bike in Köln."
        );
    }

    #[test]
    fn insert_statements_number_their_parameters() {
        assert_eq!(
            insert_sql("INSERT INTO t (a, b)", 2, 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
        assert!(insert_sql("X", 13, LISTING_ROWS).ends_with(&format!("${})", 13 * LISTING_ROWS)));
    }

    fn options(users: usize, listings: usize, images: bool, seed: u64) -> SeedOptions {
        SeedOptions { users, listings, images, seed, password: Some("demo password 123".into()) }
    }

    async fn count(db: &Database, table: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(db.pool())
            .await
            .unwrap();
        n
    }

    #[db_test]
    async fn seeds_a_fresh_database(backend: Backend) {
        let (db, dir) = crate::db::test_db(backend).await;
        let store = ImageStore::in_data_dir(dir.dir.path());
        let mut calls = Vec::new();
        let report =
            seed(&db, Some(&store), &options(5, 300, true, 7), &mut |stage, done, total| {
                calls.push((stage, done, total))
            })
            .await
            .unwrap();
        assert_eq!((report.users, report.listings, report.images), (5, 300, POOL_SIZE));
        assert_eq!(report.emails, Some(("demo1@example.org".into(), "demo5@example.org".into())));
        assert_eq!(report.password.as_deref(), Some("demo password 123"));
        assert_eq!(count(&db, "users").await, 5);
        assert_eq!(count(&db, "listings").await, 300);
        assert_eq!(count(&db, "listing_images").await as usize, report.listing_images);
        assert!(report.listing_images > 200, "{}", report.listing_images);
        assert_eq!(calls.last(), Some(&(Stage::Listings, 300, 300)));
        assert!(
            calls.contains(&(Stage::Users, 5, 5))
                && calls.contains(&(Stage::Images, POOL_SIZE, POOL_SIZE))
        );

        // Readable through the listings service, as generated.
        let admin = CurrentUser {
            id: UserId("admin".into()),
            display_name: "Admin".into(),
            role: Role::Admin,
            language: Language::De,
            time_zone: None,
        };
        let ids: Vec<(String, String, String)> =
            sqlx::query_as("SELECT id, title, category FROM listings ORDER BY id LIMIT 25")
                .fetch_all(db.pool())
                .await
                .unwrap();
        for (id, title, category) in ids {
            let l = Listings::new(&db).get(&id, Some(&admin)).await.unwrap();
            assert_eq!((l.title, l.category), (title, category));
            for image in &l.images {
                assert!(store.contains(&image.hash, images::Variant::Display).await.unwrap());
                assert!(store.contains(&image.hash, images::Variant::Thumb).await.unwrap());
            }
        }
        let hashes: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT hash FROM listing_images")
            .fetch_all(db.pool())
            .await
            .unwrap();
        for (hash,) in hashes {
            assert!(store.contains(&hash, images::Variant::Display).await.unwrap(), "{hash}");
        }
        // The demo password works.
        crate::Services::new(db.clone(), crate::Settings::default())
            .accounts()
            .login("demo3@example.org", "demo password 123", None)
            .await
            .unwrap();

        // The same seed again is refused and changes nothing; another seed adds more.
        let err = seed(&db, None, &options(5, 10, false, 7), &mut |_, _, _| {}).await.unwrap_err();
        assert!(err.to_string().contains("--seed 7"), "{err}");
        assert_eq!(count(&db, "users").await, 5);
        let more = seed(&db, None, &options(2, 10, false, 8), &mut |_, _, _| {}).await.unwrap();
        assert_eq!(more.emails, Some(("demo6@example.org".into(), "demo7@example.org".into())));
        assert_eq!(count(&db, "listings").await, 310);
        // Listings for the users already there.
        let existing = seed(&db, None, &options(0, 20, false, 9), &mut |_, _, _| {}).await.unwrap();
        assert_eq!((existing.users, existing.listings, existing.password), (0, 20, None));
        assert_eq!(count(&db, "listings").await, 330);
    }

    #[db_test]
    async fn listings_need_users(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let err = seed(&db, None, &options(0, 10, false, 1), &mut |_, _, _| {}).await.unwrap_err();
        assert!(err.to_string().contains("no users"), "{err}");
        let mut bad = options(1, 1, false, 1);
        bad.password = Some("short".into());
        let err = seed(&db, None, &bad, &mut |_, _, _| {}).await.unwrap_err();
        assert!(err.problem_for(Field::Password).is_some(), "{err}");
        let err = seed(&db, None, &options(1, 1, true, 1), &mut |_, _, _| {}).await.unwrap_err();
        assert!(err.to_string().contains("image store"), "{err}");
        assert_eq!(count(&db, "users").await, 0);
    }
}

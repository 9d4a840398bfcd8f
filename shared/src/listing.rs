//! The validated fields of a classified ad, and the fixed category tree. Browser and
//! server both call these, so a rule (a title's length, what a price may look like)
//! exists once.

use crate::validation::{multi_line, single_line, Field, Invalid, Problems};
use serde::{Deserialize, Serialize};

/// At most this many images per listing.
pub const MAX_IMAGES: usize = 10;
/// At most this many bytes per uploaded image.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// An uploaded image's size against [`MAX_IMAGE_BYTES`].
pub fn check_image_size(bytes: usize) -> Result<(), Invalid> {
    if bytes > MAX_IMAGE_BYTES {
        return Err(Invalid::ImageTooLarge { max_mb: MAX_IMAGE_BYTES / (1024 * 1024) });
    }
    Ok(())
}

/// The number of images a listing would have: `kept` of its current ones plus `added`
/// new uploads, at most [`MAX_IMAGES`].
pub fn check_image_count(kept: usize, added: usize) -> Result<(), Invalid> {
    if kept + added > MAX_IMAGES {
        return Err(Invalid::TooManyImages { max: MAX_IMAGES });
    }
    Ok(())
}

/// The listing form's text fields as typed, before any check: what the server reads
/// from a post, and what the form shows again after a failed one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingText {
    pub title: String,
    pub description: String,
    /// `fixed`, `negotiable` or `free` ([`PriceKind`]).
    pub price_kind: String,
    /// The amount for a fixed price, as typed ("12,50").
    pub price_amount: String,
    /// A subcategory's slug.
    pub category: String,
    pub postal_code: String,
    pub city: String,
}

/// A listing's fields, validated: what creating and editing take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingDraft {
    pub title: ListingTitle,
    pub description: Description,
    pub price: Price,
    pub category: Category,
    pub postal_code: PostalCode,
    pub city: City,
}

impl ListingDraft {
    /// Validates raw form input: every field's problem at once.
    pub fn parse(
        title: &str,
        description: &str,
        price_kind: &str,
        price_amount: &str,
        category: &str,
        postal_code: &str,
        city: &str,
    ) -> Result<Self, Problems> {
        let mut p = Problems::default();
        let title = p.check(Field::Title, ListingTitle::parse(title));
        let description = p.check(Field::Description, Description::parse(description));
        let price = p.check(Field::Price, Price::parse(price_kind, price_amount));
        let category = p.check(Field::Category, Category::parse_for_listing(category));
        let postal_code = p.check(Field::PostalCode, PostalCode::parse(postal_code));
        let city = p.check(Field::City, City::parse(city));
        let draft = (|| {
            Some(ListingDraft {
                title: title?,
                description: description?,
                price: price?,
                category: category?,
                postal_code: postal_code?,
                city: city?,
            })
        })();
        p.result(draft)
    }
}

impl ListingText {
    /// Every field checked: the draft, or every field's problem.
    pub fn draft(&self) -> Result<ListingDraft, Problems> {
        ListingDraft::parse(
            &self.title,
            &self.description,
            &self.price_kind,
            &self.price_amount,
            &self.category,
            &self.postal_code,
            &self.city,
        )
    }
}

/// A listing's headline: 3–100 characters, whitespace collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ListingTitle(String);
string_newtype!(ListingTitle);

impl ListingTitle {
    pub const MIN_LEN: usize = 3;
    pub const MAX_LEN: usize = 100;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        single_line(input, Self::MIN_LEN, Self::MAX_LEN).map(ListingTitle)
    }
}

/// The free text of a listing: up to 5,000 characters, line breaks kept, may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Description(String);
string_newtype!(Description);

impl Description {
    pub const MAX_LEN: usize = 5000;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        multi_line(input, Self::MAX_LEN).map(Description)
    }
}

/// What a listing costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Price {
    /// A fixed price in euro cents.
    Fixed { cents: u64 },
    /// "Verhandlungsbasis": open to offers, with the amount asked if one was given
    /// ("50 € VB").
    Negotiable { cents: Option<u64> },
    /// Given away ("zu verschenken").
    Free,
}

/// Which of the price choices a form made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriceKind {
    Fixed,
    Negotiable,
    Free,
}

impl PriceKind {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        match s.trim() {
            "fixed" => Ok(PriceKind::Fixed),
            "negotiable" => Ok(PriceKind::Negotiable),
            "free" => Ok(PriceKind::Free),
            _ => Err(Invalid::PriceFormat),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PriceKind::Fixed => "fixed",
            PriceKind::Negotiable => "negotiable",
            PriceKind::Free => "free",
        }
    }
}

impl Price {
    /// 10 million euro: above that it is not a classified ad.
    pub const MAX_CENTS: u64 = 1_000_000_000;

    /// The price as people read it: "1.234,50 €" / "€1,234.50", "50 € VB" /
    /// "€50 or nearest offer", "VB" / "Negotiable", "Zu verschenken" / "Free".
    pub fn text(self, language: crate::Language) -> String {
        use crate::Language::{De, En};
        let amount = |cents: u64| {
            let (euros, rest) = (cents / 100, cents % 100);
            let decimal = if language == De { ',' } else { '.' };
            let grouped = language.number(euros);
            let amount = if rest == 0 { grouped } else { format!("{grouped}{decimal}{rest:02}") };
            match language {
                De => format!("{amount} €"),
                En => format!("€{amount}"),
            }
        };
        match (self, language) {
            (Price::Fixed { cents }, _) => amount(cents),
            (Price::Negotiable { cents: Some(cents) }, De) => format!("{} VB", amount(cents)),
            (Price::Negotiable { cents: Some(cents) }, En) => {
                format!("{} or nearest offer", amount(cents))
            }
            (Price::Negotiable { cents: None }, De) => "VB".into(),
            (Price::Negotiable { cents: None }, En) => "Negotiable".into(),
            (Price::Free, De) => "Zu verschenken".into(),
            (Price::Free, En) => "Free".into(),
        }
    }

    /// From a form: the kind and the amount as people type it — required for a fixed
    /// price, optional for "VB", refused with "free" (rather than silently dropped).
    pub fn parse(kind: &str, amount: &str) -> Result<Self, Invalid> {
        let typed = !amount.trim().is_empty();
        match PriceKind::parse(kind)? {
            PriceKind::Free if typed => Err(Invalid::PriceWithFree),
            PriceKind::Free => Ok(Price::Free),
            PriceKind::Negotiable if !typed => Ok(Price::Negotiable { cents: None }),
            PriceKind::Negotiable => Ok(Price::Negotiable { cents: Some(Self::amount(amount)?) }),
            PriceKind::Fixed => Ok(Price::Fixed { cents: Self::amount(amount)? }),
        }
    }

    /// An amount asked for: more than nothing, at most [`Self::MAX_CENTS`].
    fn amount(typed: &str) -> Result<u64, Invalid> {
        match parse_euro_amount(typed)? {
            0 => Err(Invalid::PriceZero),
            c if c > Self::MAX_CENTS => Err(Invalid::PriceTooHigh),
            c => Ok(c),
        }
    }

    pub fn kind(self) -> PriceKind {
        match self {
            Price::Fixed { .. } => PriceKind::Fixed,
            Price::Negotiable { .. } => PriceKind::Negotiable,
            Price::Free => PriceKind::Free,
        }
    }

    /// The amount asked for, if any.
    pub fn cents(self) -> Option<u64> {
        match self {
            Price::Fixed { cents } => Some(cents),
            Price::Negotiable { cents } => cents,
            Price::Free => None,
        }
    }

    /// What the price orders sort by: `(cheapest first, dearest first)`. Free counts
    /// as 0; "VB" sorts by its amount, and without one comes last both ways.
    pub fn sort_keys(self) -> (i64, i64) {
        match self {
            Price::Fixed { cents } | Price::Negotiable { cents: Some(cents) } => {
                (cents as i64, cents as i64)
            }
            Price::Free => (0, 0),
            Price::Negotiable { cents: None } => (Self::MAX_CENTS as i64 + 1, -1),
        }
    }
}

/// Parses a euro amount as people type it: `12`, `12,5`, `12,50`, `12.50`, `1.234,56`,
/// `1,234.56`, `1 500`, with an optional `€` or `EUR`. A lone separator followed by
/// exactly three digits is a thousands separator (`1.500` is fifteen hundred euro).
pub fn parse_euro_amount(input: &str) -> Result<u64, Invalid> {
    let s = input.trim().trim_end_matches("EUR").trim_end_matches('€');
    let s = s.trim_start_matches('€').trim();
    if s.is_empty() {
        return Err(Invalid::Empty);
    }
    let s: String = s.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
    if !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(Invalid::PriceFormat);
    }
    // Which separator (if any) is the decimal one?
    let last_sep = s.rfind(['.', ',']);
    let decimal_at = match last_sep {
        None => None,
        Some(i) => {
            let sep = s.as_bytes()[i] as char;
            let other = if sep == '.' { ',' } else { '.' };
            let digits_after = s.len() - i - 1;
            let same_kind_count = s.matches(sep).count();
            if s.contains(other) {
                // both kinds: the last one is the decimal separator
                Some(i)
            } else if same_kind_count == 1 && digits_after != 3 {
                Some(i)
            } else {
                None
            }
        }
    };
    let (int_part, frac_part) = match decimal_at {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (&s[..], ""),
    };
    if frac_part.len() > 2 || frac_part.contains(['.', ',']) {
        return Err(Invalid::PriceFormat);
    }
    // Thousands separators: groups of exactly three digits after the first.
    let groups: Vec<&str> = int_part.split(['.', ',']).collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return Err(Invalid::PriceFormat);
    }
    let digits: String = groups.concat();
    if digits.is_empty() && frac_part.is_empty() {
        return Err(Invalid::PriceFormat);
    }
    let euros: u64 =
        if digits.is_empty() { 0 } else { digits.parse().map_err(|_| Invalid::PriceTooHigh)? };
    let cents: u64 = match frac_part.len() {
        0 => 0,
        1 => frac_part.parse::<u64>().map_err(|_| Invalid::PriceFormat)? * 10,
        _ => frac_part.parse::<u64>().map_err(|_| Invalid::PriceFormat)?,
    };
    euros.checked_mul(100).and_then(|c| c.checked_add(cents)).ok_or(Invalid::PriceTooHigh)
}

/// Where a listing is in its life. Deleted listings keep their row (conversations
/// will hang on them) but are shown to nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListingStatus {
    Active,
    Reserved,
    Sold,
    Inactive,
    Deleted,
}

impl ListingStatus {
    /// The statuses shown in search and browse pages, and to other people.
    pub const PUBLIC: [ListingStatus; 2] = [ListingStatus::Active, ListingStatus::Reserved];

    pub fn as_str(self) -> &'static str {
        match self {
            ListingStatus::Active => "active",
            ListingStatus::Reserved => "reserved",
            ListingStatus::Sold => "sold",
            ListingStatus::Inactive => "inactive",
            ListingStatus::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Reserved, Self::Sold, Self::Inactive, Self::Deleted]
            .into_iter()
            .find(|st| st.as_str() == s)
    }

    /// Shown in search and browse pages (reserved listings stay visible, marked); see
    /// [`ListingStatus::PUBLIC`].
    pub fn is_public(self) -> bool {
        Self::PUBLIC.contains(&self)
    }

    /// The owner's actions: reserve, mark sold, deactivate, reactivate, delete.
    /// Reactivating puts a sold or inactive listing back on the market; a deleted
    /// listing stays deleted.
    pub fn can_change_to(self, next: ListingStatus) -> bool {
        use ListingStatus::*;
        match (self, next) {
            (Deleted, _) => false,
            (_, Deleted) => true,
            (a, b) if a == b => false,
            (Active, Reserved | Sold | Inactive) => true,
            (Reserved, Active | Sold | Inactive) => true,
            (Sold, Active | Inactive) => true,
            (Inactive, Active) => true,
            _ => false,
        }
    }
}

/// Whether `s` has the shape of a listing id (a UUID: 36 hex digits and hyphens).
pub fn is_listing_id(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A listing as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub id: String,
    pub seller_id: crate::UserId,
    pub seller_name: String,
    pub seller_since: crate::Timestamp,
    pub title: String,
    pub description: String,
    pub price: Price,
    /// The subcategory's slug (see [`Category::find`]).
    pub category: String,
    pub postal_code: String,
    pub city: String,
    pub status: ListingStatus,
    pub created_at: crate::Timestamp,
    pub updated_at: crate::Timestamp,
    /// In display order; the first is the cover.
    pub images: Vec<ImageRef>,
}

impl Listing {
    /// The short form lists show.
    pub fn summary(&self) -> ListingSummary {
        ListingSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            price: self.price,
            category: self.category.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            status: self.status,
            created_at: self.created_at,
            cover: self.images.first().cloned(),
        }
    }
}

/// A listing as lists (search results, the start page, profiles) show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingSummary {
    pub id: String,
    pub title: String,
    pub price: Price,
    pub category: String,
    pub postal_code: String,
    pub city: String,
    pub status: ListingStatus,
    pub created_at: crate::Timestamp,
    pub cover: Option<ImageRef>,
}

/// One page of a seller's listings, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerPage {
    pub listings: Vec<ListingSummary>,
    /// 1-based page number.
    pub page: u32,
    pub per_page: u32,
    /// How many listings the seller has on all pages.
    pub total: u64,
}

impl SellerPage {
    pub const PER_PAGE: u32 = 20;

    pub fn page_count(&self) -> u32 {
        crate::account::page_count(self.total, self.per_page)
    }

    pub fn has_next(&self) -> bool {
        self.page < self.page_count()
    }
}

/// A user's favourites.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchList {
    /// Listings still on offer, most recently marked first.
    pub listings: Vec<ListingSummary>,
    /// Marked listings that are gone (sold, deactivated or deleted): no longer shown
    /// as listings, only named, until the user takes them off the list.
    pub removed: Vec<RemovedListing>,
}

/// A marked listing that is no longer on offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedListing {
    pub id: String,
    pub title: String,
}

/// A stored image: re-encoded as JPEG in two sizes, named by the content hash of the
/// display size. Both URLs are immutable, so they are cached for a long time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImageRef {
    /// Lowercase hex SHA-256 of the display-size file.
    pub hash: String,
    /// Size of the display version in pixels.
    pub width: u32,
    pub height: u32,
}

impl ImageRef {
    /// The display size (at most [`IMAGE_DISPLAY_MAX`] pixels on the long side).
    pub fn url(&self) -> String {
        format!("/images/{}.jpg", self.hash)
    }

    /// The thumbnail (at most [`IMAGE_THUMB_MAX`] pixels on the long side).
    pub fn thumb_url(&self) -> String {
        format!("/images/{}-thumb.jpg", self.hash)
    }

    /// Whether `s` looks like an image hash (64 lowercase hex digits): what the image
    /// routes and forms accept, so nothing else reaches the file system.
    pub fn is_hash(s: &str) -> bool {
        s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

/// Long side of the display size of an image, in pixels.
pub const IMAGE_DISPLAY_MAX: u32 = 1600;
/// Long side of a thumbnail, in pixels.
pub const IMAGE_THUMB_MAX: u32 = 480;
/// Images with more pixels than this are refused before decoding (decompression bombs):
/// 40 megapixels, more than a phone camera's full resolution.
pub const IMAGE_MAX_PIXELS: u64 = 40_000_000;

/// A German postal code: five digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PostalCode(String);
string_newtype!(PostalCode);

impl PostalCode {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Invalid::Empty);
        }
        if s.len() != 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
            Err(Invalid::PostalCodeFormat)
        } else if s.starts_with("00") {
            // five digits, but German postal codes run from 01001 to 99998
            Err(Invalid::PostalCodeUnknown)
        } else {
            Ok(PostalCode(s.to_owned()))
        }
    }

    /// A search prefix: one to five digits, and like a postal code not "00…" (a lone
    /// "0" still finds the 0… region).
    pub fn parse_prefix(input: &str) -> Result<String, Invalid> {
        let s = input.trim();
        if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
            Err(Invalid::PostalCodeFormat)
        } else if s.starts_with("00") {
            Err(Invalid::PostalCodeUnknown)
        } else {
            Ok(s.to_owned())
        }
    }
}

/// The town of a listing: 2–60 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct City(String);
string_newtype!(City);

impl City {
    pub const MIN_LEN: usize = 2;
    pub const MAX_LEN: usize = 60;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        single_line(input, Self::MIN_LEN, Self::MAX_LEN).map(City)
    }

    /// What the place filter compares: see [`city_key`].
    pub fn key(&self) -> String {
        city_key(&self.0)
    }
}

/// A town's name for comparing: lower case, without accents, "ß" as "ss" and umlauts
/// spelled with "e" made plain, so "ÜBERLINGEN", "überlingen", "Ueberlingen" and
/// "Überlingen" are one town, as are "Gießen" and "Giessen" (the place filter then
/// matches from the start: "frankfurt" finds "Frankfurt am Main").
pub fn city_key(city: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut folded = String::with_capacity(city.len());
    for c in city.trim().to_lowercase().nfd() {
        match c {
            'ß' => folded.push_str("ss"),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c => folded.push(c),
        }
    }
    crate::search::without_umlaut_e(&folded)
}

/// A node of the fixed two-level category tree. Listings are filed under a
/// subcategory; browsing a top category shows all of its subcategories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Category {
    /// Stable id used in URLs and the database: `electronics` or `electronics/phones`.
    pub slug: &'static str,
    pub name_de: &'static str,
    pub name_en: &'static str,
}

impl Category {
    pub fn name(&self, lang: crate::Language) -> &'static str {
        match lang {
            crate::Language::De => self.name_de,
            crate::Language::En => self.name_en,
        }
    }

    pub fn is_top(&self) -> bool {
        !self.slug.contains('/')
    }

    /// The top category of a subcategory (itself for a top category).
    pub fn top(&self) -> Category {
        let top = self.slug.split('/').next().unwrap_or(self.slug);
        Category::find(top).unwrap_or(*self)
    }

    /// All categories, tops each followed by their subcategories.
    pub fn all() -> impl Iterator<Item = Category> {
        CATEGORIES.iter().flat_map(|(top, subs)| std::iter::once(*top).chain(subs.iter().copied()))
    }

    pub fn tops() -> impl Iterator<Item = Category> {
        CATEGORIES.iter().map(|(top, _)| *top)
    }

    pub fn children(&self) -> &'static [Category] {
        CATEGORIES.iter().find(|(top, _)| top.slug == self.slug).map(|(_, s)| *s).unwrap_or(&[])
    }

    pub fn find(slug: &str) -> Option<Category> {
        Category::all().find(|c| c.slug == slug)
    }

    /// The category a listing may be filed under: a subcategory.
    pub fn parse_for_listing(slug: &str) -> Result<Category, Invalid> {
        if slug.trim().is_empty() {
            return Err(Invalid::Empty);
        }
        match Category::find(slug.trim()) {
            Some(c) if !c.is_top() => Ok(c),
            Some(_) => Err(Invalid::CategoryNotSpecific),
            None => Err(Invalid::UnknownCategory),
        }
    }
}

macro_rules! cat {
    ($slug:literal, $de:literal, $en:literal) => {
        Category { slug: $slug, name_de: $de, name_en: $en }
    };
}

static CATEGORIES: &[(Category, &[Category])] = &[
    (
        cat!("electronics", "Elektronik", "Electronics"),
        &[
            cat!("electronics/phones", "Handys & Telefone", "Phones"),
            cat!("electronics/computers", "Computer & Zubehör", "Computers & accessories"),
            cat!("electronics/tv-audio", "TV, Audio & Hi-Fi", "TV, audio & hi-fi"),
            cat!("electronics/photo", "Foto & Kamera", "Photo & camera"),
            cat!("electronics/consoles", "Konsolen & Spiele", "Consoles & games"),
        ],
    ),
    (
        cat!("home-garden", "Haus & Garten", "Home & Garden"),
        &[
            cat!("home-garden/furniture", "Möbel", "Furniture"),
            cat!("home-garden/kitchen", "Küche & Haushalt", "Kitchen & household"),
            cat!("home-garden/garden", "Garten & Pflanzen", "Garden & plants"),
            cat!("home-garden/tools", "Werkzeug & Heimwerken", "Tools & DIY"),
            cat!("home-garden/decor", "Deko & Beleuchtung", "Decor & lighting"),
        ],
    ),
    (
        cat!("fashion", "Mode & Beauty", "Fashion & Beauty"),
        &[
            cat!("fashion/women", "Damenmode", "Women's clothing"),
            cat!("fashion/men", "Herrenmode", "Men's clothing"),
            cat!("fashion/shoes", "Schuhe", "Shoes"),
            cat!("fashion/accessories", "Taschen & Accessoires", "Bags & accessories"),
            cat!("fashion/beauty", "Beauty & Gesundheit", "Beauty & health"),
        ],
    ),
    (
        cat!("family", "Familie, Kind & Baby", "Family, Kids & Baby"),
        &[
            cat!("family/baby", "Babyausstattung", "Baby equipment"),
            cat!("family/kids-clothing", "Kinderkleidung", "Children's clothing"),
            cat!("family/toys", "Spielzeug", "Toys"),
            cat!("family/strollers", "Kinderwagen & Buggys", "Prams & buggies"),
        ],
    ),
    (
        cat!("vehicles", "Auto, Rad & Boot", "Cars, Bikes & Boats"),
        &[
            cat!("vehicles/bicycles", "Fahrräder & Zubehör", "Bicycles & accessories"),
            cat!("vehicles/cars", "Autos", "Cars"),
            cat!("vehicles/motorcycles", "Motorräder & Roller", "Motorbikes & scooters"),
            cat!("vehicles/parts", "Autoteile & Reifen", "Car parts & tyres"),
            cat!("vehicles/boats", "Boote & Bootszubehör", "Boats & boating"),
        ],
    ),
    (
        cat!("leisure", "Freizeit, Hobby & Nachbarschaft", "Leisure, Hobbies & Neighbourhood"),
        &[
            cat!("leisure/sports", "Sport & Camping", "Sports & camping"),
            cat!("leisure/crafts", "Basteln & Handarbeit", "Arts & crafts"),
            cat!("leisure/collecting", "Sammeln", "Collectibles"),
            cat!("leisure/tickets", "Tickets & Gutscheine", "Tickets & vouchers"),
        ],
    ),
    (
        cat!("media", "Musik, Filme & Bücher", "Music, Films & Books"),
        &[
            cat!("media/books", "Bücher & Zeitschriften", "Books & magazines"),
            cat!("media/music", "Musik & CDs", "Music & CDs"),
            cat!("media/films", "Filme & DVDs", "Films & DVDs"),
            cat!("media/instruments", "Musikinstrumente", "Musical instruments"),
        ],
    ),
    (
        cat!("pets", "Haustiere", "Pets"),
        &[
            cat!("pets/accessories", "Tierbedarf", "Pet supplies"),
            cat!("pets/rehoming", "Tiere in gute Hände", "Pets for rehoming"),
        ],
    ),
    (
        cat!("services", "Dienstleistungen", "Services"),
        &[
            cat!("services/tutoring", "Nachhilfe & Unterricht", "Tutoring & lessons"),
            cat!("services/moving", "Umzug & Transport", "Moving & transport"),
            cat!("services/repairs", "Reparaturen", "Repairs"),
            cat!("services/care", "Betreuung & Pflege", "Care"),
        ],
    ),
    (
        cat!("real-estate", "Immobilien", "Property"),
        &[
            cat!("real-estate/rent", "Mietwohnungen", "Flats to rent"),
            cat!("real-estate/shared", "WG-Zimmer", "Shared flats"),
            cat!("real-estate/parking", "Garagen & Stellplätze", "Garages & parking"),
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Field, Problems};

    #[test]
    fn draft_reports_the_field() {
        let err = ListingDraft::parse(
            "Rad",
            "",
            "fixed",
            "zwölf",
            "vehicles/bicycles",
            "10115",
            "Berlin",
        )
        .unwrap_err();
        assert_eq!(err, Problems::one(Field::Price, Invalid::PriceFormat));
        let err =
            ListingDraft::parse("Rad", "", "free", "", "vehicles", "10115", "Berlin").unwrap_err();
        assert_eq!(err.fields(), vec![Field::Category]);
        let err = ListingDraft::parse("Rad", "", "free", "", "vehicles/cars", "1011", "Berlin")
            .unwrap_err();
        assert_eq!(err.fields(), vec![Field::PostalCode]);
    }

    #[test]
    fn draft_reports_every_field_at_once() {
        let err = ListingDraft::parse("", "", "fixed", "", "", "", "").unwrap_err();
        assert_eq!(
            err.fields(),
            vec![Field::Title, Field::Price, Field::Category, Field::PostalCode, Field::City]
        );
        let err = ListingDraft::parse("Ab", "", "fixed", "-5", "", "ABCDE", "K").unwrap_err();
        assert_eq!(err.get(Field::Title), Some(Invalid::TooShort { min: 3 }));
        assert_eq!(err.get(Field::Price), Some(Invalid::PriceFormat));
        assert_eq!(err.get(Field::Category), Some(Invalid::Empty));
        assert_eq!(err.get(Field::PostalCode), Some(Invalid::PostalCodeFormat));
        assert_eq!(err.get(Field::City), Some(Invalid::TooShort { min: 2 }));
        assert_eq!(err.get(Field::Description), None);
    }

    use crate::Language;

    #[test]
    fn image_limits() {
        assert_eq!(check_image_size(MAX_IMAGE_BYTES), Ok(()));
        assert_eq!(
            check_image_size(MAX_IMAGE_BYTES + 1),
            Err(Invalid::ImageTooLarge { max_mb: 10 })
        );
        assert_eq!(check_image_count(0, MAX_IMAGES), Ok(()));
        assert_eq!(check_image_count(4, 6), Ok(()));
        assert_eq!(check_image_count(4, 7), Err(Invalid::TooManyImages { max: 10 }));
        assert_eq!(check_image_count(MAX_IMAGES + 1, 0), Err(Invalid::TooManyImages { max: 10 }));
    }

    #[test]
    fn status_changes() {
        use ListingStatus::*;
        let all = [Active, Reserved, Sold, Inactive, Deleted];
        for s in all {
            assert_eq!(ListingStatus::parse(s.as_str()), Some(s));
            assert!(!s.can_change_to(s), "{s:?} to itself");
            assert!(!Deleted.can_change_to(s));
            assert_eq!(s.can_change_to(Deleted), s != Deleted);
        }
        assert!(Active.can_change_to(Reserved));
        assert!(Reserved.can_change_to(Active));
        assert!(Reserved.can_change_to(Sold));
        assert!(Sold.can_change_to(Active));
        assert!(Inactive.can_change_to(Active));
        assert!(!Inactive.can_change_to(Sold));
        assert!(!Inactive.can_change_to(Reserved));
        assert!(!Sold.can_change_to(Reserved));
        assert!(Active.is_public() && Reserved.is_public());
        assert!(!Sold.is_public() && !Inactive.is_public() && !Deleted.is_public());
        assert_eq!(ListingStatus::parse("gone"), None);
    }

    #[test]
    fn titles() {
        assert_eq!(
            ListingTitle::parse("  Rennrad   28 Zoll ").unwrap().as_str(),
            "Rennrad 28 Zoll"
        );
        assert!(ListingTitle::parse("Tür").is_ok());
        assert_eq!(ListingTitle::parse("TV"), Err(Invalid::TooShort { min: 3 }));
        assert_eq!(ListingTitle::parse("   "), Err(Invalid::Empty));
        assert_eq!(ListingTitle::parse("Rad\nweg"), Err(Invalid::ControlCharacters));
        assert!(ListingTitle::parse(&"ß".repeat(100)).is_ok());
        assert_eq!(ListingTitle::parse(&"ß".repeat(101)), Err(Invalid::TooLong { max: 100 }));
        assert_eq!(ListingTitle::parse("Rad\u{0}"), Err(Invalid::ControlCharacters));
    }

    #[test]
    fn descriptions() {
        assert_eq!(Description::parse("").unwrap().as_str(), "");
        assert_eq!(
            Description::parse(" Zeile 1\r\nZeile 2 ").unwrap().as_str(),
            "Zeile 1\nZeile 2"
        );
        assert!(Description::parse(&"x".repeat(5000)).is_ok());
        assert_eq!(Description::parse(&"x".repeat(5001)), Err(Invalid::TooLong { max: 5000 }));
        assert_eq!(Description::parse("a\u{7}b"), Err(Invalid::ControlCharacters));
    }

    #[test]
    fn euro_amounts_as_people_type_them() {
        for (input, cents) in [
            ("12", 1200),
            ("12,5", 1250),
            ("12,50", 1250),
            ("12.50", 1250),
            ("0,99", 99),
            (",99", 99),
            ("1.500", 150_000),
            ("1,500", 150_000),
            ("1.234,56", 123_456),
            ("1,234.56", 123_456),
            ("1.234.567", 123_456_700),
            ("12,505", 1_250_500),
            ("1 500 €", 150_000),
            ("€ 20", 2000),
            ("20 EUR", 2000),
            ("0", 0),
        ] {
            assert_eq!(parse_euro_amount(input), Ok(cents), "{input}");
        }
        for bad in ["abc", "12,345,6", "1.2.3", "12,5050", "1.23,45", "-5", "5e3", ".", "12..5"] {
            assert_eq!(parse_euro_amount(bad), Err(Invalid::PriceFormat), "{bad}");
        }
        assert_eq!(parse_euro_amount(""), Err(Invalid::Empty));
        assert_eq!(parse_euro_amount("99999999999999999999999"), Err(Invalid::PriceTooHigh));
    }

    #[test]
    fn price_forms() {
        assert_eq!(Price::parse("fixed", "49,90"), Ok(Price::Fixed { cents: 4990 }));
        assert_eq!(Price::parse("negotiable", ""), Ok(Price::Negotiable { cents: None }));
        assert_eq!(Price::parse("negotiable", " 50 "), Ok(Price::Negotiable { cents: Some(5000) }));
        assert_eq!(Price::parse("negotiable", "0"), Err(Invalid::PriceZero));
        assert_eq!(Price::parse("negotiable", "zwölf"), Err(Invalid::PriceFormat));
        assert_eq!(Price::parse("free", ""), Ok(Price::Free));
        assert_eq!(Price::parse("free", "123"), Err(Invalid::PriceWithFree));
        assert_eq!(Price::Negotiable { cents: Some(5000) }.cents(), Some(5000));
        assert_eq!(Price::Negotiable { cents: Some(5000) }.sort_keys(), (5000, 5000));
        assert_eq!(Price::Negotiable { cents: None }.sort_keys().1, -1);
        assert_eq!(Price::parse("fixed", ""), Err(Invalid::Empty));
        assert_eq!(Price::parse("fixed", "0,00"), Err(Invalid::PriceZero));
        assert_eq!(Price::parse("fixed", "0,01"), Ok(Price::Fixed { cents: 1 }));
        assert_eq!(Price::parse("cheap", "1"), Err(Invalid::PriceFormat));
        assert_eq!(Price::parse("fixed", "10.000.001"), Err(Invalid::PriceTooHigh));
        assert_eq!(Price::parse("fixed", "10.000.000"), Ok(Price::Fixed { cents: 1_000_000_000 }));
        assert_eq!(Price::Fixed { cents: 5 }.cents(), Some(5));
        assert_eq!(Price::Free.cents(), None);
        for k in [PriceKind::Fixed, PriceKind::Negotiable, PriceKind::Free] {
            assert_eq!(PriceKind::parse(k.as_str()), Ok(k));
        }
    }

    #[test]
    fn towns_compare_without_case() {
        let key = |s| City::parse(s).unwrap().key();
        assert_eq!(key("Überlingen"), "uberlingen");
        assert_eq!(key("ÜBERLINGEN"), key("überlingen"));
        assert_eq!(key("Uberlingen"), key("Überlingen"));
        assert_eq!(key("Gießen"), "giessen");
        assert_eq!(key("Giessen"), key("Gießen"));
        assert_eq!(key("Muenchen"), key("München"));
        assert_eq!(key("KOELN"), key("Köln"));
        assert_eq!(key("Ueberlingen"), key("Überlingen"));
        assert_eq!(key("Besançon"), "besancon");
        assert_eq!(key("Frankfurt am Main"), "frankfurt am main");
        assert_ne!(key("Halle"), key("Hall"));
    }

    #[test]
    fn postal_codes_and_cities() {
        assert_eq!(PostalCode::parse(" 10115 ").unwrap().as_str(), "10115");
        assert_eq!(PostalCode::parse("01067").unwrap().as_str(), "01067");
        for bad in ["1011", "101150", "1O115", "10 115"] {
            assert_eq!(PostalCode::parse(bad), Err(Invalid::PostalCodeFormat), "{bad}");
        }
        // five digits, so the message must not say "five digits"
        for unknown in ["00000", "00999"] {
            assert_eq!(PostalCode::parse(unknown), Err(Invalid::PostalCodeUnknown), "{unknown}");
        }
        assert_eq!(PostalCode::parse(""), Err(Invalid::Empty));
        assert_eq!(PostalCode::parse_prefix("80"), Ok("80".into()));
        assert_eq!(PostalCode::parse_prefix("8a"), Err(Invalid::PostalCodeFormat));
        assert_eq!(PostalCode::parse_prefix("123456"), Err(Invalid::PostalCodeFormat));
        assert_eq!(PostalCode::parse_prefix("00"), Err(Invalid::PostalCodeUnknown));
        assert_eq!(PostalCode::parse_prefix("0"), Ok("0".into()));
        assert_eq!(City::parse("  Frankfurt   am Main ").unwrap().as_str(), "Frankfurt am Main");
        assert_eq!(City::parse("X"), Err(Invalid::TooShort { min: 2 }));
        assert_eq!(City::parse(""), Err(Invalid::Empty));
        assert_eq!(City::parse(&"a".repeat(61)), Err(Invalid::TooLong { max: 60 }));
    }

    #[test]
    fn category_tree() {
        let tops: Vec<_> = Category::tops().collect();
        assert_eq!(tops.len(), 10);
        let mut slugs: Vec<_> = Category::all().map(|c| c.slug).collect();
        let n = slugs.len();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), n, "slugs are unique");
        for top in &tops {
            assert!(top.is_top() && !top.children().is_empty(), "{}", top.slug);
            for sub in top.children() {
                assert!(sub.slug.starts_with(&format!("{}/", top.slug)));
                assert_eq!(sub.top(), *top);
                assert!(!sub.name_de.is_empty() && !sub.name_en.is_empty());
            }
        }
        let phones = Category::parse_for_listing("electronics/phones").unwrap();
        assert_eq!(phones.name(Language::De), "Handys & Telefone");
        assert_eq!(phones.top().name(Language::En), "Electronics");
        assert_eq!(Category::parse_for_listing("electronics"), Err(Invalid::CategoryNotSpecific));
        assert_eq!(Category::parse_for_listing("cars/rockets"), Err(Invalid::UnknownCategory));
    }

    #[test]
    fn listing_ids_are_uuids() {
        assert!(is_listing_id("5f0c2d2e-9a4b-4c1d-8e7f-0123456789ab"));
        assert!(!is_listing_id("5f0c2d2e-9a4b-4c1d-8e7f-0123456789a"));
        assert!(!is_listing_id("5f0c2d2e-9a4b-4c1d-8e7f-0123456789a\n"));
        assert!(!is_listing_id("5f0c2d2e99a4b-4c1d-8e7f-0123456789ab"));
        assert!(!is_listing_id(""));
    }
}

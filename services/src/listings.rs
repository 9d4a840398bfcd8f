//! Listings: create, read, edit, change status, list a seller's ads.
//!
//! Only the seller (or an admin) may change a listing. Anyone else gets `Forbidden`
//! for a listing they can see and `NotFound` for one they cannot (sold, inactive and
//! deleted listings are visible to their seller and admins only).
//!
//! Search is full text (SQLite FTS5 or PostgreSQL `tsvector`, chosen by the backend)
//! with filters and keyset pagination: a page starts after the sort key and id of the
//! previous page's last listing, so page 500 costs what page 1 costs.

use crate::clock::now;
use crate::db::{Backend, Database, SqlArg};
use crate::error::{Error, Result};
use marktchat_shared::listing::{
    check_image_count, ImageRef, Listing, ListingStatus, ListingSummary, ListingText, Price,
    RemovedListing, SellerPage, WatchList,
};
use marktchat_shared::search::{Cursor, Place, ResultCount, Search, SearchPage, Sort, COUNT_LIMIT};
use marktchat_shared::{CurrentUser, Field, Invalid, Problems, Timestamp, UserId};

pub use marktchat_shared::listing::ListingDraft;

/// The listing form as submitted: raw text fields, uploaded files, images to drop.
#[derive(Debug, Clone, Default)]
pub struct ListingForm {
    /// Set when editing.
    pub id: Option<String>,
    pub text: ListingText,
    /// The bytes of each uploaded file, in order.
    pub uploads: Vec<Vec<u8>>,
    /// Hashes of current images to drop (editing).
    pub remove_images: Vec<String>,
}

impl ListingForm {
    pub fn draft(&self) -> Result<ListingDraft, Problems> {
        self.text.draft()
    }
}

#[derive(sqlx::FromRow)]
struct ListingRow {
    id: String,
    seller_id: String,
    seller_name: String,
    seller_since: i64,
    title: String,
    description: String,
    price_kind: String,
    price_cents: Option<i64>,
    category: String,
    postal_code: String,
    city: String,
    status: String,
    created_at: i64,
    updated_at: i64,
}

pub(crate) fn price_from_row(id: &str, kind: &str, cents: Option<i64>) -> Result<Price> {
    match (kind, cents) {
        ("fixed", Some(c)) if c >= 0 => Ok(Price::Fixed { cents: c as u64 }),
        ("negotiable", c) if c.is_none_or(|c| c > 0) => {
            Ok(Price::Negotiable { cents: c.map(|c| c as u64) })
        }
        ("free", _) => Ok(Price::Free),
        (k, c) => {
            Err(Error::inconsistent(format!("listing {id} has an unreadable price ({k}, {c:?})")))
        }
    }
}

fn status_from_row(id: &str, status: &str) -> Result<ListingStatus> {
    ListingStatus::parse(status)
        .ok_or_else(|| Error::inconsistent(format!("listing {id} has unknown status {status}")))
}

impl ListingRow {
    fn into_listing(self, images: Vec<ImageRef>) -> Result<Listing> {
        let price = price_from_row(&self.id, &self.price_kind, self.price_cents)?;
        let status = status_from_row(&self.id, &self.status)?;
        Ok(Listing {
            id: self.id,
            seller_id: UserId(self.seller_id),
            seller_name: self.seller_name,
            seller_since: Timestamp(self.seller_since),
            title: self.title,
            description: self.description,
            price,
            category: self.category,
            postal_code: self.postal_code,
            city: self.city,
            status,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
            images,
        })
    }
}

/// A row of a list: the listing's short form with its cover image, if any.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    title: String,
    price_kind: String,
    price_cents: Option<i64>,
    category: String,
    postal_code: String,
    city: String,
    status: String,
    created_at: i64,
    cover_hash: Option<String>,
    cover_width: Option<i64>,
    cover_height: Option<i64>,
    /// Only in search results: the value the results are ordered by.
    #[sqlx(default)]
    sort_key: Option<i64>,
}

impl SummaryRow {
    fn into_summary(self) -> Result<ListingSummary> {
        let cover = match (self.cover_hash, self.cover_width, self.cover_height) {
            (Some(hash), Some(w), Some(h)) => {
                Some(ImageRef { hash, width: w as u32, height: h as u32 })
            }
            _ => None,
        };
        Ok(ListingSummary {
            price: price_from_row(&self.id, &self.price_kind, self.price_cents)?,
            status: status_from_row(&self.id, &self.status)?,
            id: self.id,
            title: self.title,
            category: self.category,
            postal_code: self.postal_code,
            city: self.city,
            created_at: Timestamp(self.created_at),
            cover,
        })
    }
}

const SUMMARY_SELECT: &str = "SELECT l.id, l.title, l.price_kind, l.price_cents, l.category,
        l.postal_code, l.city, l.status, l.created_at,
        i.hash AS cover_hash, i.width AS cover_width, i.height AS cover_height";
const SUMMARY_FROM: &str =
    "FROM listings l LEFT JOIN listing_images i ON i.listing_id = l.id AND i.position = 0";

/// What editing does to a listing's images.
#[derive(Debug, Clone, Default)]
pub struct ImageChanges {
    /// Hashes of current images to drop.
    pub remove: Vec<String>,
    /// New images (already stored), appended in this order.
    pub add: Vec<ImageRef>,
}

/// The SQL of one search: conditions with their bound values.
struct SqlFilter {
    conditions: Vec<String>,
    args: Vec<SqlArg>,
}

impl SqlFilter {
    /// Adds a bound value and returns its placeholder (`$n`).
    fn arg(&mut self, a: SqlArg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }
}

/// A listing with its seller's name (`$1`: the listing's id). Public, like the next,
/// for the bare baseline in `bench/`.
pub fn listing_sql() -> String {
    format!("{LISTING_SELECT} WHERE l.id = $1")
}

/// A listing's images in order (`$1`: the listing's id).
pub const LISTING_IMAGES_SQL: &str =
    "SELECT hash, width, height FROM listing_images WHERE listing_id = $1 ORDER BY position";

const LISTING_SELECT: &str = "SELECT l.id, l.seller_id, u.display_name AS seller_name,
        u.created_at AS seller_since, l.title, l.description, l.price_kind, l.price_cents,
        l.category, l.postal_code, l.city, l.status, l.created_at, l.updated_at
     FROM listings l JOIN users u ON u.id = l.seller_id";

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds a draft's twelve columns, in the order `title, description, price_kind,
/// price_cents, price_asc_key, price_desc_key, category, top_category, postal_code,
/// city, city_key, search_text` (creating and editing both list them so).
fn bind_draft<'q>(query: AnyQuery<'q>, draft: &'q ListingDraft) -> AnyQuery<'q> {
    query
        .bind(draft.title.as_str())
        .bind(draft.description.as_str())
        .bind(draft.price.kind().as_str())
        .bind(draft.price.cents().map(|c| c as i64))
        .bind(draft.price.sort_keys().0)
        .bind(draft.price.sort_keys().1)
        .bind(draft.category.slug)
        .bind(draft.category.top().slug)
        .bind(draft.postal_code.as_str())
        .bind(draft.city.as_str())
        .bind(draft.city.key())
        .bind(search_text(draft.title.as_str(), draft.description.as_str()))
}

/// What the full-text index holds for a listing: the words of its title and
/// description as search compares them (`shared::search::index_text`: folded,
/// stemmed), then the inner parts of the title's compound words
/// (`shared::search::compound_parts`), so both databases find the same listings.
pub(crate) fn search_text(title: &str, description: &str) -> String {
    use marktchat_shared::search::{compound_parts, index_text};
    let words = index_text(&format!("{title}\n{description}"));
    match compound_parts(title) {
        parts if parts.is_empty() => words,
        parts => format!("{words} {parts}"),
    }
}

/// `'active', 'reserved'`: the public statuses from `shared`, for an SQL `IN (…)`.
fn public_statuses_sql() -> String {
    ListingStatus::PUBLIC.map(|s| format!("'{}'", s.as_str())).join(", ")
}

fn may_manage(actor: &CurrentUser, listing: &Listing) -> bool {
    actor.is_admin() || actor.id == listing.seller_id
}

pub struct Listings<'a> {
    db: &'a Database,
}

impl<'a> Listings<'a> {
    pub fn new(db: &'a Database) -> Self {
        Listings { db }
    }

    /// Creates a listing with its (already stored) images, in one transaction.
    pub async fn create(
        &self,
        seller: &CurrentUser,
        draft: ListingDraft,
        mut images: Vec<ImageRef>,
    ) -> Result<Listing> {
        // The same picture chosen twice is shown once (an image is named by its hash).
        let mut seen = std::collections::HashSet::new();
        images.retain(|i| seen.insert(i.hash.clone()));
        check_image_count(0, images.len()).map_err(Error::invalid(Field::Images))?;
        let id = uuid::Uuid::new_v4().to_string();
        let t = now().millis();
        let mut tx = self.db.begin().await?;
        let insert = sqlx::query(
            "INSERT INTO listings (id, seller_id, title, description, price_kind, price_cents,
                                   price_asc_key, price_desc_key, category, top_category,
                                   postal_code, city, city_key, search_text, status,
                                   created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                     $16, $16)",
        )
        .bind(&id)
        .bind(&seller.id.0);
        bind_draft(insert, &draft)
            .bind(ListingStatus::Active.as_str())
            .bind(t)
            .execute(&mut *tx)
            .await?;
        insert_images(&mut tx, &id, &images).await?;
        tx.commit().await?;
        self.load(&id).await?.ok_or(Error::NotFound)
    }

    /// Reads a listing as `viewer` may see it.
    pub async fn get(&self, id: &str, viewer: Option<&CurrentUser>) -> Result<Listing> {
        let listing = self.load(id).await?.ok_or(Error::NotFound)?;
        let visible = listing.status != ListingStatus::Deleted
            && (listing.status.is_public() || viewer.is_some_and(|v| may_manage(v, &listing)));
        if visible {
            Ok(listing)
        } else {
            Err(Error::NotFound)
        }
    }

    /// Replaces the listing's fields and changes its images (seller or admin only).
    pub async fn update(
        &self,
        actor: &CurrentUser,
        id: &str,
        draft: ListingDraft,
        images: ImageChanges,
    ) -> Result<Listing> {
        let current = self.managed(actor, id).await?;
        let mut kept: Vec<ImageRef> =
            current.images.into_iter().filter(|i| !images.remove.contains(&i.hash)).collect();
        for new in images.add {
            if !kept.iter().any(|k| k.hash == new.hash) {
                kept.push(new);
            }
        }
        check_image_count(kept.len(), 0).map_err(Error::invalid(Field::Images))?;
        let mut tx = self.db.begin().await?;
        let update = sqlx::query(
            "UPDATE listings SET title = $1, description = $2, price_kind = $3, price_cents = $4,
                                 price_asc_key = $5, price_desc_key = $6, category = $7,
                                 top_category = $8, postal_code = $9, city = $10,
                                 city_key = $11, search_text = $12, updated_at = $13
             WHERE id = $14",
        );
        bind_draft(update, &draft).bind(now().millis()).bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM listing_images WHERE listing_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        insert_images(&mut tx, id, &kept).await?;
        tx.commit().await?;
        self.load(id).await?.ok_or(Error::NotFound)
    }

    /// Reserve, mark sold, deactivate, reactivate or delete (seller or admin only).
    pub async fn set_status(
        &self,
        actor: &CurrentUser,
        id: &str,
        next: ListingStatus,
    ) -> Result<Listing> {
        self.set_status_sold_to(actor, id, next, None).await
    }

    /// Like [`set_status`](Self::set_status); a sold listing also keeps whom it was
    /// sold to (`None`: someone else). Any other state forgets it.
    pub async fn set_status_sold_to(
        &self,
        actor: &CurrentUser,
        id: &str,
        next: ListingStatus,
        sold_to: Option<&UserId>,
    ) -> Result<Listing> {
        let current = self.managed(actor, id).await?;
        if !current.status.can_change_to(next) {
            return Err(Error::invalid(Field::Status)(Invalid::StatusChange));
        }
        let sold_to = sold_to.filter(|_| next == ListingStatus::Sold).map(|u| u.0.as_str());
        // Compare-and-set: a concurrent change in between is not overwritten.
        let done = sqlx::query(
            "UPDATE listings SET status = $1, updated_at = $2, sold_to = $5
             WHERE id = $3 AND status = $4",
        )
        .bind(next.as_str())
        .bind(now().millis())
        .bind(id)
        .bind(current.status.as_str())
        .bind(sold_to)
        .execute(self.db.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::invalid(Field::Status)(Invalid::StatusChange));
        }
        self.load(id).await?.ok_or(Error::NotFound)
    }

    /// Fills in what the application computes for listings stored before it existed:
    /// `city_key` (migration 0003) and `search_text` (0004), in batches; migration 0011
    /// clears both so that they are computed again the way search now compares words.
    /// Returns how many listings were filled in.
    pub(crate) async fn backfill_computed_columns(&self) -> Result<u64> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: String,
            city: String,
            title: String,
            description: String,
        }
        let mut filled = 0;
        let mut after = String::new();
        loop {
            // By id from where the last batch ended, so each batch reads on instead of
            // scanning the rows already done again.
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT id, city, title, description FROM listings
                 WHERE ((city_key = '' AND city <> '') OR search_text IS NULL) AND id > $1
                 ORDER BY id LIMIT 500",
            )
            .bind(&after)
            .fetch_all(self.db.pool())
            .await?;
            let Some(last) = rows.last() else {
                return Ok(filled);
            };
            after = last.id.clone();
            let mut tx = self.db.begin().await?;
            for row in &rows {
                let key = marktchat_shared::listing::city_key(&row.city);
                sqlx::query("UPDATE listings SET city_key = $1, search_text = $2 WHERE id = $3")
                    .bind(if key.is_empty() { "-".to_owned() } else { key })
                    .bind(search_text(&row.title, &row.description))
                    .bind(&row.id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            filled += rows.len() as u64;
        }
    }

    /// The hashes of every image a listing that is not deleted still shows.
    pub async fn image_hashes_in_use(&self) -> Result<std::collections::HashSet<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(&format!(
            "SELECT DISTINCT i.hash FROM listing_images i JOIN listings l ON l.id = i.listing_id
             WHERE l.status <> '{}'",
            ListingStatus::Deleted.as_str()
        ))
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(|(hash,)| hash).collect())
    }

    /// Page `page` (from 1; beyond the last gives an empty page) of a seller's
    /// listings, newest first, without deleted ones, and how many there are in all.
    /// `public_only` for what other people see on the seller's profile.
    pub async fn by_seller(
        &self,
        seller: &UserId,
        public_only: bool,
        page: u32,
    ) -> Result<SellerPage> {
        let per_page = SellerPage::PER_PAGE;
        let page = page.max(1);
        let offset = i64::from(page - 1) * i64::from(per_page);
        let (page_sql, count_sql) = (by_seller_sql(public_only), by_seller_count_sql(public_only));
        let rows = sqlx::query_as::<_, SummaryRow>(&page_sql)
            .bind(&seller.0)
            .bind(i64::from(per_page))
            .bind(offset)
            .fetch_all(self.db.pool());
        let total =
            sqlx::query_as::<_, (i64,)>(&count_sql).bind(&seller.0).fetch_one(self.db.pool());
        let (rows, (total,)) = futures_util::try_join!(rows, total)?;
        Ok(SellerPage {
            listings: rows.into_iter().map(SummaryRow::into_summary).collect::<Result<_>>()?,
            page,
            per_page,
            total: total.max(0) as u64,
        })
    }

    /// One page of public listings matching `search`, in its order, and how many there
    /// are on all pages (counted beside the page, at most [`COUNT_LIMIT`] and one).
    pub async fn search_counted(&self, search: &Search, limit: usize) -> Result<SearchPage> {
        let (page, count) =
            futures_util::try_join!(self.search(search, limit), self.count(search))?;
        Ok(SearchPage { count: Some(count), ..page })
    }

    /// How many public listings match `search` on all pages, up to [`COUNT_LIMIT`].
    async fn count(&self, search: &Search) -> Result<ResultCount> {
        let (sql, args) = self.count_sql(search);
        let mut query = sqlx::query_as::<_, (i64,)>(&sql);
        for a in args {
            query = match a {
                SqlArg::Text(s) => query.bind(s),
                SqlArg::Int(i) => query.bind(i),
            };
        }
        let (counted,) = query.fetch_one(self.db.pool()).await?;
        Ok(ResultCount::from_counted(u64::try_from(counted).unwrap_or(0)))
    }

    /// One page of public listings matching `search`, in its order. `limit` listings at
    /// most; `next` is set when there are more. Not counted: see
    /// [`search_counted`](Self::search_counted).
    pub async fn search(&self, search: &Search, limit: usize) -> Result<SearchPage> {
        let (sql, args) = self.search_sql(search, limit);
        let mut query = sqlx::query_as::<_, SummaryRow>(&sql);
        for a in args {
            query = match a {
                SqlArg::Text(s) => query.bind(s),
                SqlArg::Int(i) => query.bind(i),
            };
        }
        let mut rows = query.fetch_all(self.db.pool()).await?;
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|r| Cursor { key: r.sort_key.unwrap_or(0), id: r.id.clone() }.encode())
        } else {
            None
        };
        let listings = rows.into_iter().map(SummaryRow::into_summary).collect::<Result<_>>()?;
        Ok(SearchPage { listings, next, count: None })
    }

    /// The SQL that counts what `search` finds, all pages, up to one more than
    /// [`COUNT_LIMIT`] (beyond that a page says "more than"), and its bound values.
    pub fn count_sql(&self, search: &Search) -> (String, Vec<SqlArg>) {
        let f = self.search_filter(search);
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM listings l WHERE {} LIMIT {}) counted",
            f.conditions.join(" AND "),
            COUNT_LIMIT + 1
        );
        (sql, f.args)
    }

    /// The SQL [`search`](Self::search) runs (one more row than `limit`, to know whether
    /// a next page exists) and its bound values. Public for the query-plan test and the
    /// bare baseline in `bench/`, which must run exactly this.
    pub fn search_sql(&self, search: &Search, limit: usize) -> (String, Vec<SqlArg>) {
        let (key, descending) = sort_key(search.sort);
        let mut f = self.search_filter(search);
        if let Some(Cursor { key: k, id }) = &search.after {
            // A row value: both databases seek in the (key, id) index to it.
            let op = if descending { "<" } else { ">" };
            let pk = f.arg(SqlArg::Int(*k));
            let pid = f.arg(SqlArg::Text(id.clone()));
            f.conditions.push(format!("({key}, l.id) {op} ({pk}, {pid})"));
        }
        let dir = if descending { "DESC" } else { "ASC" };
        let sql = format!(
            "{SUMMARY_SELECT}, {key} AS sort_key {SUMMARY_FROM}
             WHERE {}
             ORDER BY {key} {dir}, l.id {dir}
             LIMIT {}",
            f.conditions.join(" AND "),
            limit + 1
        );
        (sql, f.args)
    }

    /// The conditions of `search` on `listings l` (all but the page's cursor).
    fn search_filter(&self, search: &Search) -> SqlFilter {
        let mut f = SqlFilter {
            conditions: vec![format!("l.status IN ({})", public_statuses_sql())],
            args: Vec::new(),
        };
        if !search.terms.is_empty() {
            match self.db.backend() {
                Backend::Sqlite => {
                    // Each word quoted (they hold only letters and digits) and used as a
                    // prefix; FTS5 joins them with AND.
                    let q: Vec<String> = search.terms.iter().map(|t| format!("\"{t}\"*")).collect();
                    let p = f.arg(SqlArg::Text(q.join(" ")));
                    f.conditions.push(format!(
                        "l.rowid IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH {p})"
                    ));
                }
                Backend::Postgres => {
                    let q: Vec<String> = search.terms.iter().map(|t| format!("{t}:*")).collect();
                    let p = f.arg(SqlArg::Text(q.join(" & ")));
                    f.conditions.push(format!("l.search @@ to_tsquery('simple', {p})"));
                }
            }
        }
        if let Some(c) = search.category {
            let column = if c.is_top() { "l.top_category" } else { "l.category" };
            let p = f.arg(SqlArg::Text(c.slug.to_owned()));
            f.conditions.push(format!("{column} = {p}"));
        }
        if search.filters_price() {
            // Every listing with an amount ("50 € VB" too), and free ones as 0.
            f.conditions.push("(l.price_cents IS NOT NULL OR l.price_kind = 'free')".to_owned());
            if let Some(lo) = search.min_cents {
                let p = f.arg(SqlArg::Int(lo as i64));
                f.conditions.push(format!("COALESCE(l.price_cents, 0) >= {p}"));
            }
            if let Some(hi) = search.max_cents {
                let p = f.arg(SqlArg::Int(hi as i64));
                f.conditions.push(format!("COALESCE(l.price_cents, 0) <= {p}"));
            }
        }
        match &search.place {
            Some(Place::PostalPrefix(prefix)) => {
                let p = f.arg(SqlArg::Text(format!("{prefix}%")));
                f.conditions.push(format!("l.postal_code LIKE {p}"));
            }
            Some(Place::City(city)) => {
                // from the start of the name: "frankfurt" finds "Frankfurt am Main"
                let escaped =
                    city.key().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                let p = f.arg(SqlArg::Text(format!("{escaped}%")));
                f.conditions.push(format!("l.city_key LIKE {p} ESCAPE '\\'"));
            }
            None => {}
        }
        f
    }

    /// Marks or unmarks a listing on the user's watch list. Marking needs a listing the
    /// user can see; unmarking always works.
    pub async fn set_favourite(&self, user: &CurrentUser, id: &str, on: bool) -> Result<()> {
        if on {
            self.get(id, Some(user)).await?;
            sqlx::query(
                "INSERT INTO favourites (user_id, listing_id, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id, listing_id) DO NOTHING",
            )
            .bind(&user.id.0)
            .bind(id)
            .bind(now().millis())
            .execute(self.db.pool())
            .await?;
        } else {
            sqlx::query("DELETE FROM favourites WHERE user_id = $1 AND listing_id = $2")
                .bind(&user.id.0)
                .bind(id)
                .execute(self.db.pool())
                .await?;
        }
        Ok(())
    }

    /// Everything stored about the user's listings (deleted ones included, as their
    /// rows are kept) and their watch list, for "download my data".
    pub async fn export(&self, user: &CurrentUser) -> Result<serde_json::Value> {
        let ids: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM listings WHERE seller_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(&user.id.0)
        .fetch_all(self.db.pool())
        .await?;
        let mut listings = Vec::new();
        for (id,) in ids {
            listings.extend(self.load(&id).await?);
        }
        let favourites: Vec<(String, i64)> = sqlx::query_as(
            "SELECT listing_id, created_at FROM favourites WHERE user_id = $1
             ORDER BY created_at",
        )
        .bind(&user.id.0)
        .fetch_all(self.db.pool())
        .await?;
        Ok(serde_json::json!({
            "listings": listings,
            "watch_list": favourites.iter().map(|(id, at)| serde_json::json!({
                "listing_id": id, "marked_at": at,
            })).collect::<Vec<_>>(),
        }))
    }

    pub async fn is_favourite(&self, user: &UserId, id: &str) -> Result<bool> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM favourites WHERE user_id = $1 AND listing_id = $2")
                .bind(&user.0)
                .bind(id)
                .fetch_optional(self.db.pool())
                .await?;
        Ok(row.is_some())
    }

    /// The user's watch list, most recently marked first. Listings that are no longer
    /// public (sold, deactivated, deleted) are not shown as listings; they are named in
    /// `removed` until the user takes them off the list.
    pub async fn watch_list(&self, user: &UserId) -> Result<WatchList> {
        let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
            "{SUMMARY_SELECT} {SUMMARY_FROM} JOIN favourites f ON f.listing_id = l.id
             WHERE f.user_id = $1 ORDER BY f.created_at DESC, l.id"
        ))
        .bind(&user.0)
        .fetch_all(self.db.pool())
        .await?;
        let mut list = WatchList::default();
        for row in rows {
            let summary = row.into_summary()?;
            if summary.status.is_public() {
                list.listings.push(summary);
            } else {
                list.removed.push(RemovedListing { id: summary.id, title: summary.title });
            }
        }
        Ok(list)
    }

    /// The listing, if `actor` may change it; `Forbidden` if they can see but not
    /// change it, `NotFound` if they cannot even see it.
    pub(crate) async fn managed(&self, actor: &CurrentUser, id: &str) -> Result<Listing> {
        let listing = self.load(id).await?.ok_or(Error::NotFound)?;
        if listing.status == ListingStatus::Deleted {
            return Err(Error::NotFound);
        }
        if may_manage(actor, &listing) {
            Ok(listing)
        } else if listing.status.is_public() {
            Err(Error::Forbidden)
        } else {
            Err(Error::NotFound)
        }
    }

    async fn load(&self, id: &str) -> Result<Option<Listing>> {
        let row: Option<ListingRow> =
            sqlx::query_as(&listing_sql()).bind(id).fetch_optional(self.db.pool()).await?;
        let Some(row) = row else { return Ok(None) };
        let images: Vec<(String, i64, i64)> =
            sqlx::query_as(LISTING_IMAGES_SQL).bind(id).fetch_all(self.db.pool()).await?;
        let images = images
            .into_iter()
            .map(|(hash, w, h)| ImageRef { hash, width: w as u32, height: h as u32 })
            .collect();
        row.into_listing(images).map(Some)
    }
}

/// A seller's listings, newest first (`$1`: the seller), all but deleted ones or only
/// the public ones.
/// Which of a seller's listings are shown: the public ones, or all but deleted ones.
fn by_seller_filter(public_only: bool) -> String {
    if public_only {
        format!("l.status IN ({})", public_statuses_sql())
    } else {
        format!("l.status <> '{}'", ListingStatus::Deleted.as_str())
    }
}

/// A page of a seller's listings: `$1` the seller, `$2` how many, `$3` how many to skip.
fn by_seller_sql(public_only: bool) -> String {
    format!(
        "{SUMMARY_SELECT} {SUMMARY_FROM} WHERE l.seller_id = $1 AND {}
         ORDER BY l.created_at DESC, l.id DESC LIMIT $2 OFFSET $3",
        by_seller_filter(public_only)
    )
}

fn by_seller_count_sql(public_only: bool) -> String {
    format!(
        "SELECT COUNT(*) FROM listings l WHERE l.seller_id = $1 AND {}",
        by_seller_filter(public_only)
    )
}

/// Positions 0, 1, 2, … in the given order (0 is the cover).
async fn insert_images(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    listing_id: &str,
    images: &[ImageRef],
) -> Result<()> {
    for (position, image) in images.iter().enumerate() {
        sqlx::query(
            "INSERT INTO listing_images (listing_id, position, hash, width, height)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(listing_id)
        .bind(position as i64)
        .bind(&image.hash)
        .bind(i64::from(image.width))
        .bind(i64::from(image.height))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The column results are ordered by (each has an index in that order, migration
/// 0005), and whether descending. The price keys are `Price::sort_keys`: negotiable
/// listings last in both directions, free as 0.
fn sort_key(sort: Sort) -> (&'static str, bool) {
    match sort {
        Sort::Newest => ("l.created_at", true),
        Sort::PriceAsc => ("l.price_asc_key", false),
        Sort::PriceDesc => ("l.price_desc_key", true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::NewAccount;
    use crate::db::Backend;
    use marktchat_shared::{Language, Role};
    use marktchat_test_macros::db_test;

    async fn user(db: &Database, email: &str, role: Role) -> CurrentUser {
        let mut new =
            NewAccount::parse(email, "Test Person", "a long enough secret", Language::De).unwrap();
        new.role = role;
        let services = crate::Services::new(db.clone(), crate::Settings::default());
        let p = services.accounts().register(new, None).await.unwrap();
        CurrentUser {
            id: p.id,
            display_name: p.display_name,
            role,
            language: p.language,
            time_zone: None,
        }
    }

    fn draft(title: &str, description: &str) -> ListingDraft {
        ListingDraft::parse(
            title,
            description,
            "fixed",
            "120,50",
            "vehicles/bicycles",
            "10115",
            "Berlin",
        )
        .unwrap()
    }

    #[db_test]
    async fn create_read_edit_and_statuses(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let other = user(&db, "other@example.de", Role::User).await;
        let admin = user(&db, "admin@example.de", Role::Admin).await;
        let listings = Listings::new(&db);

        let l = listings
            .create(&seller, draft("Rennrad 28 Zoll", "Kaum gefahren."), vec![])
            .await
            .unwrap();
        assert_eq!(l.price, Price::Fixed { cents: 12050 });
        assert_eq!(l.status, ListingStatus::Active);
        assert_eq!(l.seller_name, "Test Person");
        assert_eq!(listings.get(&l.id, None).await.unwrap().title, "Rennrad 28 Zoll");

        // Others cannot edit or change the status, and nothing changes.
        assert!(matches!(
            listings.update(&other, &l.id, draft("Gestohlen", ""), ImageChanges::default()).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            listings.set_status(&other, &l.id, ListingStatus::Sold).await,
            Err(Error::Forbidden)
        ));
        assert_eq!(listings.get(&l.id, None).await.unwrap().title, "Rennrad 28 Zoll");

        let edited = listings
            .update(
                &seller,
                &l.id,
                draft("Rennrad, 28 Zoll", "Neu: Licht"),
                ImageChanges::default(),
            )
            .await
            .unwrap();
        assert_eq!(edited.title, "Rennrad, 28 Zoll");

        let r = listings.set_status(&seller, &l.id, ListingStatus::Reserved).await.unwrap();
        assert_eq!(r.status, ListingStatus::Reserved);
        assert!(listings.get(&l.id, None).await.is_ok(), "reserved stays visible");

        listings.set_status(&seller, &l.id, ListingStatus::Inactive).await.unwrap();
        assert!(matches!(listings.get(&l.id, None).await, Err(Error::NotFound)));
        assert!(matches!(listings.get(&l.id, Some(&other)).await, Err(Error::NotFound)));
        assert!(listings.get(&l.id, Some(&seller)).await.is_ok());
        assert!(listings.get(&l.id, Some(&admin)).await.is_ok());
        // hidden from others: changing it is "not found", not "forbidden"
        assert!(matches!(
            listings.set_status(&other, &l.id, ListingStatus::Active).await,
            Err(Error::NotFound)
        ));
        let err = listings.set_status(&seller, &l.id, ListingStatus::Sold).await.unwrap_err();
        assert_eq!(err.problem_for(Field::Status), Some(Invalid::StatusChange));
        // an admin may act for the seller
        listings.set_status(&admin, &l.id, ListingStatus::Active).await.unwrap();

        let page = listings.by_seller(&seller.id, true, 1).await.unwrap();
        assert_eq!((page.listings.len(), page.total), (1, 1));
        listings.set_status(&seller, &l.id, ListingStatus::Deleted).await.unwrap();
        assert!(matches!(listings.get(&l.id, Some(&seller)).await, Err(Error::NotFound)));
        assert_eq!(listings.by_seller(&seller.id, false, 1).await.unwrap().total, 0);
        assert!(matches!(
            listings.set_status(&seller, &l.id, ListingStatus::Active).await,
            Err(Error::NotFound)
        ));
    }

    #[db_test]
    async fn full_text_index_follows_the_listings(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        let l = listings
            .create(&seller, draft("Gebrauchtes Fahrrad", "Mit Körbchen und Klingel"), vec![])
            .await
            .unwrap();
        assert_eq!(titles(&listings, &[("q", "fahrrad")]).await, ["Gebrauchtes Fahrrad"]);
        listings
            .update(&seller, &l.id, draft("Rennrad", "Ohne Korb"), ImageChanges::default())
            .await
            .unwrap();
        assert!(titles(&listings, &[("q", "fahrrad")]).await.is_empty());
        assert!(titles(&listings, &[("q", "korbchen")]).await.is_empty());
        assert_eq!(titles(&listings, &[("q", "rennrad korb")]).await, ["Rennrad"]);
        // deleting the row takes it out of the index (SQLite's external-content table)
        sqlx::query("DELETE FROM listings WHERE id = $1")
            .bind(&l.id)
            .execute(db.pool())
            .await
            .unwrap();
        assert!(titles(&listings, &[("q", "rennrad")]).await.is_empty());
    }

    /// The same words find the same listings on both databases: accents and ß folded
    /// either way round, upper or lower case, words as prefixes, in title or text.
    #[db_test]
    async fn search_folds_accents_and_sharp_s(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        for (title, description) in [
            ("Körbchen für Katzen", "Weich, waschbar"),
            ("Fahrradständer", "Passt an jede Straße"),
            ("Crème-Brûlée-Brenner", "Kaum benutzt, mit Gaskartusche"),
            ("Strassenkarte Europa", "ÆRØ und Öland"),
        ] {
            listings.create(&seller, draft(title, description), vec![]).await.unwrap();
        }
        let found = |q: &'static str| {
            let listings = &listings;
            async move {
                let mut t = titles(listings, &[("q", q)]).await;
                t.sort();
                t
            }
        };
        assert_eq!(found("korbchen").await, ["Körbchen für Katzen"]);
        assert_eq!(found("KÖRBCHEN").await, ["Körbchen für Katzen"]);
        assert_eq!(found("fur katzen").await, ["Körbchen für Katzen"]);
        assert_eq!(found("fahrradstander").await, ["Fahrradständer"]);
        assert_eq!(found("strasse").await, ["Fahrradständer", "Strassenkarte Europa"]);
        assert_eq!(found("straße").await, ["Fahrradständer", "Strassenkarte Europa"]);
        assert_eq!(found("STRAS").await, ["Fahrradständer", "Strassenkarte Europa"]);
        assert_eq!(found("creme brulee").await, ["Crème-Brûlée-Brenner"]);
        assert_eq!(found("brûl bren").await, ["Crème-Brûlée-Brenner"]);
        assert_eq!(found("aero oland").await, ["Strassenkarte Europa"]);
        assert!(found("korbchenx").await.is_empty());
        assert!(found("katzen europa").await.is_empty(), "every word must match");
    }

    /// German as people type it, the same on both databases: plurals and inflections
    /// find the word, umlauts and ß may be spelled out, in words and in towns, and the
    /// parts of compound words find them.
    #[db_test]
    async fn search_finds_plurals_and_spelled_out_umlauts(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        for (title, city) in [
            ("Fahrrad aus München", "München"),
            ("Sofa, grau", "Köln"),
            ("Zwei Stühle an der Hauptstraße", "Gießen"),
            ("Kühlschrank", "Düsseldorf"),
            ("Kinderhelm, blau", "Bonn"),
            ("Schreibtischlampe", "Bonn"),
        ] {
            let draft = draft_with(title, "free", "", "home-garden/furniture", "80331", city);
            listings.create(&seller, draft, vec![]).await.unwrap();
        }
        let found = |pairs: &'static [(&'static str, &'static str)]| {
            let listings = &listings;
            async move { titles(listings, pairs).await }
        };
        assert_eq!(found(&[("q", "Fahrräder")]).await, ["Fahrrad aus München"]);
        assert_eq!(found(&[("q", "Sofas")]).await, ["Sofa, grau"]);
        assert_eq!(found(&[("q", "Stuhl")]).await, ["Zwei Stühle an der Hauptstraße"]);
        assert_eq!(found(&[("q", "Muenchen")]).await, ["Fahrrad aus München"]);
        assert_eq!(found(&[("q", "kuehlschraenke")]).await, ["Kühlschrank"]);
        assert_eq!(found(&[("q", "hauptstrasse")]).await, ["Zwei Stühle an der Hauptstraße"]);
        assert_eq!(found(&[("place", "Muenchen")]).await, ["Fahrrad aus München"]);
        assert_eq!(found(&[("place", "koeln")]).await, ["Sofa, grau"]);
        assert_eq!(found(&[("place", "Giessen")]).await, ["Zwei Stühle an der Hauptstraße"]);
        assert_eq!(found(&[("place", "duesseldorf")]).await, ["Kühlschrank"]);
        assert!(found(&[("q", "Sessel")]).await.is_empty());
        assert!(found(&[("q", "Fahrräder"), ("place", "koeln")]).await.is_empty());
        // Compound words are found by their parts, also in the plural.
        assert_eq!(found(&[("q", "Helm")]).await, ["Kinderhelm, blau"]);
        assert_eq!(found(&[("q", "Helme")]).await, ["Kinderhelm, blau"]);
        assert_eq!(found(&[("q", "Lampen")]).await, ["Schreibtischlampe"]);
        assert_eq!(found(&[("q", "tisch lampe")]).await, ["Schreibtischlampe"]);
        assert!(found(&[("q", "Kinderlampe")]).await.is_empty());
    }

    /// A seller's listings come a page at a time, each listing on exactly one page.
    #[db_test]
    async fn a_sellers_listings_come_in_pages(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        for i in 0..23 {
            listings.create(&seller, draft(&format!("Stuhl {i}"), ""), vec![]).await.unwrap();
        }
        let first = listings.by_seller(&seller.id, false, 1).await.unwrap();
        assert_eq!((first.listings.len(), first.total, first.page_count()), (20, 23, 2));
        assert!(first.has_next());
        let second = listings.by_seller(&seller.id, false, 2).await.unwrap();
        assert_eq!(second.listings.len(), 3);
        assert!(!second.has_next());
        let mut titles: Vec<String> =
            first.listings.iter().chain(&second.listings).map(|l| l.title.clone()).collect();
        titles.sort();
        titles.dedup();
        assert_eq!(titles.len(), 23, "each listing once");
        assert!(listings.by_seller(&seller.id, false, 9).await.unwrap().listings.is_empty());
        assert_eq!(listings.by_seller(&seller.id, true, 0).await.unwrap().page, 1);
    }

    /// A search says how many listings it finds on all its pages, with its filters.
    #[db_test]
    async fn search_counts_all_its_pages(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        for i in 0..5 {
            let draft = draft_with(
                &format!("Stuhl {i}"),
                "free",
                "",
                "home-garden/furniture",
                "80331",
                "Ulm",
            );
            listings.create(&seller, draft, vec![]).await.unwrap();
        }
        let draft = draft_with("Tisch", "free", "", "home-garden/furniture", "80331", "Ulm");
        listings.create(&seller, draft, vec![]).await.unwrap();
        let first = listings.search_counted(&params(&[("q", "stühle")]), 2).await.unwrap();
        assert_eq!((first.listings.len(), first.count), (2, Some(ResultCount::Exactly(5))));
        let next = params(&[("q", "stühle"), ("after", first.next.as_deref().unwrap())]);
        let second = listings.search_counted(&next, 2).await.unwrap();
        assert_eq!(second.count, Some(ResultCount::Exactly(5)));
        let all = listings.search_counted(&params(&[]), 2).await.unwrap();
        assert_eq!(all.count, Some(ResultCount::Exactly(6)));
        let none = listings.search_counted(&params(&[("q", "sessel")]), 2).await.unwrap();
        assert_eq!(none.count, Some(ResultCount::Exactly(0)));
        assert_eq!(listings.search(&params(&[]), 2).await.unwrap().count, None, "uncounted");
    }

    #[db_test]
    async fn towns_match_in_any_case_also_for_listings_from_before_the_key(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        for (title, city) in [("Boot", "Überlingen"), ("Ruder", "Öhringen"), ("Segel", "Ulm")] {
            let draft = draft_with(title, "free", "", "home-garden/furniture", "88662", city);
            listings.create(&seller, draft, vec![]).await.unwrap();
        }
        assert_eq!(titles(&listings, &[("place", "überlingen")]).await, ["Boot"]);
        assert_eq!(titles(&listings, &[("place", "ÖHRINGEN")]).await, ["Ruder"]);
        // rows written before migrations 0003 and 0004 get their key and their search
        // words when migrating
        sqlx::query("UPDATE listings SET city_key = '', search_text = NULL")
            .execute(db.pool())
            .await
            .unwrap();
        assert!(titles(&listings, &[("place", "überlingen")]).await.is_empty());
        assert!(titles(&listings, &[("q", "segel")]).await.is_empty());
        db.migrate().await.unwrap();
        assert_eq!(titles(&listings, &[("q", "segel")]).await, ["Segel"]);
        assert_eq!(titles(&listings, &[("place", "Überlingen")]).await, ["Boot"]);
        assert_eq!(titles(&listings, &[("place", "ulm")]).await, ["Segel"]);
        // without accents, and from the start of the name
        assert_eq!(titles(&listings, &[("place", "Uberlingen")]).await, ["Boot"]);
        assert_eq!(titles(&listings, &[("place", "öhr")]).await, ["Ruder"]);
        assert!(titles(&listings, &[("place", "_lm")]).await.is_empty(), "no wildcards");
        assert!(titles(&listings, &[("place", "u%")]).await.is_empty(), "no wildcards");
        assert_eq!(listings.backfill_computed_columns().await.unwrap(), 0, "nothing left to do");
    }

    fn draft_with(
        title: &str,
        kind: &str,
        amount: &str,
        cat: &str,
        plz: &str,
        city: &str,
    ) -> ListingDraft {
        ListingDraft::parse(title, "Beschreibung", kind, amount, cat, plz, city).unwrap()
    }

    fn params(pairs: &[(&str, &str)]) -> Search {
        Search::parse(&marktchat_shared::search::SearchParams::from_pairs(pairs.iter().copied()))
            .unwrap()
    }

    async fn titles(listings: &Listings<'_>, pairs: &[(&str, &str)]) -> Vec<String> {
        let page = listings.search(&params(pairs), 50).await.unwrap();
        page.listings.into_iter().map(|l| l.title).collect()
    }

    /// Every list reads an index in the order it shows, on both databases: no list
    /// sorts the table (at 100,000 listings the start page spent 0.4 s sorting).
    #[db_test]
    async fn lists_read_an_index_in_their_order(backend: Backend) {
        use crate::db::query_plan;
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        for i in 0..30 {
            let d = draft_with(
                &format!("Stuhl {i}"),
                "fixed",
                "12",
                "home-garden/furniture",
                "10115",
                "Berlin",
            );
            listings.create(&seller, d, vec![]).await.unwrap();
        }
        // No ANALYZE: on SQLite, statistics of a 30-row table would make scanning and
        // sorting look cheapest (and whether a pooled connection has loaded them
        // varies); without them the planner assumes large tables, as in production.
        // PostgreSQL prices sequential scans and sorts out instead (query_plan).
        let cursor = ("after", "1795478399999.5f0c0000-0000-0000-0000-000000000000");
        let searches: &[&[(&str, &str)]] = &[
            &[],
            &[("sort", "price_asc")],
            &[("sort", "price_desc")],
            &[cursor],
            &[("sort", "price_asc"), cursor],
            &[("sort", "price_desc"), cursor],
            &[("category", "home-garden")],
            &[("category", "home-garden/furniture")],
            &[("category", "home-garden"), cursor],
        ];
        let mut plans = Vec::new();
        for pairs in searches {
            let (sql, args) = listings.search_sql(&params(pairs), 20);
            plans.push((format!("search {pairs:?}"), query_plan(&db, &sql, args).await));
        }
        for public in [true, false] {
            let args = vec![SqlArg::Text(seller.id.0.clone()), SqlArg::Int(20), SqlArg::Int(40)];
            let plan = query_plan(&db, &by_seller_sql(public), args).await;
            plans.push((format!("a seller's listings (public only: {public})"), plan));
        }
        let args = vec![SqlArg::Text("%a%".into()), SqlArg::Int(20), SqlArg::Int(40)];
        let plan = query_plan(&db, crate::accounts::DIRECTORY_PAGE_SQL, args).await;
        plans.push(("the directory".into(), plan));
        for (list, plan) in plans {
            let text = plan.join("\n");
            let sorts = plan.iter().any(|l| l.contains("TEMP B-TREE") || l.contains("Sort"));
            let scans_table = plan.iter().any(|l| {
                (l.starts_with("SCAN l") || l.starts_with("SCAN users")) && !l.contains("INDEX")
                    || l.contains("Seq Scan")
            });
            assert!(!sorts && !scans_table, "{list} sorts or scans the table:\n{text}");
        }
    }

    #[db_test]
    async fn search_filters_and_orders(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        let specs = [
            ("Sofa grau", "fixed", "120", "home-garden/furniture", "10115", "Berlin"),
            ("Sessel", "free", "", "home-garden/furniture", "10117", "Berlin"),
            ("Kinderrad", "fixed", "45", "vehicles/bicycles", "80331", "München"),
            ("Bürostuhl", "negotiable", "", "home-garden/furniture", "20095", "Hamburg"),
            ("Schrank", "fixed", "300", "home-garden/furniture", "10119", "Berlin"),
        ];
        for (title, kind, amount, cat, plz, city) in specs {
            listings
                .create(&seller, draft_with(title, kind, amount, cat, plz, city), vec![])
                .await
                .unwrap();
            // "newest" is by creation time in milliseconds: one per listing here
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        // newest first by default
        assert_eq!(
            titles(&listings, &[]).await,
            ["Schrank", "Bürostuhl", "Kinderrad", "Sessel", "Sofa grau"]
        );
        // words: prefix match, all words required, in title or description
        assert_eq!(titles(&listings, &[("q", "sof")]).await, ["Sofa grau"]);
        assert_eq!(titles(&listings, &[("q", "sofa blau")]).await, Vec::<String>::new());
        assert_eq!(titles(&listings, &[("q", "beschreibung")]).await.len(), 5);
        assert_eq!(titles(&listings, &[("q", "\"OR(")]).await, Vec::<String>::new());
        // category: a top category covers its subcategories
        assert_eq!(titles(&listings, &[("category", "vehicles")]).await, ["Kinderrad"]);
        assert_eq!(titles(&listings, &[("category", "home-garden/furniture")]).await.len(), 4);
        // price range: only listings with an amount (free = 0)
        assert_eq!(
            titles(&listings, &[("max", "100"), ("sort", "price_asc")]).await,
            ["Sessel", "Kinderrad"]
        );
        assert_eq!(titles(&listings, &[("min", "100"), ("max", "200")]).await, ["Sofa grau"]);
        // place: postal prefix or city
        assert_eq!(
            titles(&listings, &[("place", "101"), ("sort", "price_desc")]).await,
            ["Schrank", "Sofa grau", "Sessel"]
        );
        assert_eq!(titles(&listings, &[("place", "münchen")]).await, ["Kinderrad"]);
        assert_eq!(titles(&listings, &[("place", "hamburg")]).await, ["Bürostuhl"]);
        assert_eq!(titles(&listings, &[("place", "MÜNCHEN")]).await, ["Kinderrad"]);
        // price orders: negotiable last both ways
        assert_eq!(
            titles(&listings, &[("sort", "price_asc")]).await,
            ["Sessel", "Kinderrad", "Sofa grau", "Schrank", "Bürostuhl"]
        );
        assert_eq!(
            titles(&listings, &[("sort", "price_desc")]).await,
            ["Schrank", "Sofa grau", "Kinderrad", "Sessel", "Bürostuhl"]
        );
    }

    #[db_test]
    async fn keyset_pages_cover_everything_once_in_every_order(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        for i in 0..23 {
            // equal prices and equal times on purpose: the id breaks ties
            let amount = format!("{}", 10 * (i % 4 + 1));
            listings
                .create(
                    &seller,
                    draft_with(
                        &format!("Ding {i}"),
                        "fixed",
                        &amount,
                        "home-garden/furniture",
                        "10115",
                        "Berlin",
                    ),
                    vec![],
                )
                .await
                .unwrap();
        }
        for sort in ["newest", "price_asc", "price_desc"] {
            let mut seen = Vec::new();
            let mut after = String::new();
            loop {
                let p = marktchat_shared::search::SearchParams {
                    sort: sort.into(),
                    after: after.clone(),
                    ..Default::default()
                };
                let page = listings.search(&Search::parse(&p).unwrap(), 5).await.unwrap();
                assert!(page.listings.len() <= 5);
                seen.extend(page.listings.into_iter().map(|l| (l.price.cents(), l.id)));
                match page.next {
                    Some(n) => after = n,
                    None => break,
                }
            }
            let mut ids: Vec<_> = seen.iter().map(|(_, id)| id.clone()).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), 23, "{sort}: every listing exactly once");
            assert_eq!(seen.len(), 23, "{sort}");
            let prices: Vec<_> = seen.iter().map(|(p, _)| p.unwrap()).collect();
            let mut sorted = prices.clone();
            sorted.sort();
            if sort == "price_desc" {
                sorted.reverse();
            }
            if sort != "newest" {
                assert_eq!(prices, sorted, "{sort}");
            }
        }
    }

    #[db_test]
    async fn hidden_listings_leave_search_and_the_watch_list(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let buyer = user(&db, "buyer@example.de", Role::User).await;
        let listings = Listings::new(&db);
        let a = listings.create(&seller, draft("Lampe", "Stehlampe"), vec![]).await.unwrap();
        let b = listings.create(&seller, draft("Tisch", "Esstisch"), vec![]).await.unwrap();
        listings.set_favourite(&buyer, &a.id, true).await.unwrap();
        listings.set_favourite(&buyer, &a.id, true).await.unwrap(); // twice is fine
        listings.set_favourite(&buyer, &b.id, true).await.unwrap();
        assert!(listings.is_favourite(&buyer.id, &a.id).await.unwrap());
        assert_eq!(listings.watch_list(&buyer.id).await.unwrap().listings.len(), 2);

        listings.set_status(&seller, &a.id, ListingStatus::Inactive).await.unwrap();
        assert_eq!(titles(&listings, &[("q", "lampe")]).await, Vec::<String>::new());
        let list = listings.watch_list(&buyer.id).await.unwrap();
        assert_eq!(list.listings.iter().map(|l| l.title.as_str()).collect::<Vec<_>>(), ["Tisch"]);
        assert_eq!(list.removed, [RemovedListing { id: a.id.clone(), title: "Lampe".into() }]);
        // named until taken off the list
        assert_eq!(listings.watch_list(&buyer.id).await.unwrap().removed.len(), 1);
        listings.set_favourite(&buyer, &a.id, false).await.unwrap();
        assert!(listings.watch_list(&buyer.id).await.unwrap().removed.is_empty());
        // a hidden listing cannot be marked
        assert!(matches!(listings.set_favourite(&buyer, &a.id, true).await, Err(Error::NotFound)));
        listings.set_favourite(&buyer, &b.id, false).await.unwrap();
        assert!(listings.watch_list(&buyer.id).await.unwrap().listings.is_empty());
    }

    #[db_test]
    async fn images_are_kept_in_order_and_limited(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        let img = |n: u8| ImageRef { hash: format!("{:02x}", n).repeat(32), width: 10, height: 10 };
        let l = listings.create(&seller, draft("Bild", ""), vec![img(1), img(2)]).await.unwrap();
        assert_eq!(l.images, [img(1), img(2)]);
        assert_eq!(l.summary().cover, Some(img(1)));
        let changes = ImageChanges { remove: vec![img(1).hash], add: vec![img(3), img(2)] };
        let l = listings.update(&seller, &l.id, draft("Bild", ""), changes).await.unwrap();
        assert_eq!(l.images, [img(2), img(3)], "removed, appended, no duplicates");
        let found = listings.search(&params(&[("q", "bild")]), 10).await.unwrap();
        assert_eq!(found.listings[0].cover, Some(img(2)));
        let too_many = ImageChanges { remove: vec![], add: (10..19).map(img).collect() };
        let err = listings.update(&seller, &l.id, draft("Bild", ""), too_many).await.unwrap_err();
        assert!(err.problem_for(Field::Images).is_some(), "{err}");
        assert_eq!(listings.get(&l.id, None).await.unwrap().images.len(), 2, "nothing changed");
        let eleven = (0..11).map(img).collect();
        assert!(listings.create(&seller, draft("Viele", ""), eleven).await.is_err());
    }
}

//! Listings: create, read, edit, change status, list a seller's ads.
//!
//! Only the seller (or an admin) may change a listing. Anyone else gets `Forbidden`
//! for a listing they can see and `NotFound` for one they cannot (sold, inactive and
//! deleted listings are visible to their seller and admins only).
//!
//! Still to come (issue #3): images, search with filters and keyset pagination,
//! favourites, demo data.

use crate::clock::now;
use crate::db::Database;
use crate::error::{Error, Result};
use marktchat_shared::listing::{
    Category, City, Description, Listing, ListingStatus, ListingTitle, PostalCode, Price,
};
use marktchat_shared::{CurrentUser, Field, Invalid, Timestamp, UserId};

/// A listing's fields, validated: what creating and editing take.
#[derive(Debug, Clone)]
pub struct ListingDraft {
    pub title: ListingTitle,
    pub description: Description,
    pub price: Price,
    pub category: Category,
    pub postal_code: PostalCode,
    pub city: City,
}

impl ListingDraft {
    /// Validates raw form input; the first problem found is reported with its field.
    pub fn parse(
        title: &str,
        description: &str,
        price_kind: &str,
        price_amount: &str,
        category: &str,
        postal_code: &str,
        city: &str,
    ) -> Result<Self> {
        Ok(ListingDraft {
            title: ListingTitle::parse(title).map_err(Error::invalid(Field::Title))?,
            description: Description::parse(description)
                .map_err(Error::invalid(Field::Description))?,
            price: Price::parse(price_kind, price_amount).map_err(Error::invalid(Field::Price))?,
            category: Category::parse_for_listing(category)
                .map_err(Error::invalid(Field::Category))?,
            postal_code: PostalCode::parse(postal_code)
                .map_err(Error::invalid(Field::PostalCode))?,
            city: City::parse(city).map_err(Error::invalid(Field::City))?,
        })
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

impl ListingRow {
    fn into_listing(self) -> Result<Listing> {
        let price = match (self.price_kind.as_str(), self.price_cents) {
            ("fixed", Some(c)) if c >= 0 => Price::Fixed { cents: c as u64 },
            ("negotiable", _) => Price::Negotiable,
            ("free", _) => Price::Free,
            (k, c) => {
                return Err(Error::Internal(format!(
                    "listing {} has an unreadable price ({k}, {c:?})",
                    self.id
                )))
            }
        };
        let status = ListingStatus::parse(&self.status).ok_or_else(|| {
            Error::Internal(format!("listing {} has unknown status {}", self.id, self.status))
        })?;
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
        })
    }
}

const LISTING_SELECT: &str = "SELECT l.id, l.seller_id, u.display_name AS seller_name,
        u.created_at AS seller_since, l.title, l.description, l.price_kind, l.price_cents,
        l.category, l.postal_code, l.city, l.status, l.created_at, l.updated_at
     FROM listings l JOIN users u ON u.id = l.seller_id";

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds a draft's eight columns, in the order `title, description, price_kind,
/// price_cents, category, top_category, postal_code, city` (creating and editing both
/// list them so).
fn bind_draft<'q>(query: AnyQuery<'q>, draft: &'q ListingDraft) -> AnyQuery<'q> {
    query
        .bind(draft.title.as_str())
        .bind(draft.description.as_str())
        .bind(draft.price.kind().as_str())
        .bind(draft.price.cents().map(|c| c as i64))
        .bind(draft.category.slug)
        .bind(draft.category.top().slug)
        .bind(draft.postal_code.as_str())
        .bind(draft.city.as_str())
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

    pub async fn create(&self, seller: &CurrentUser, draft: ListingDraft) -> Result<Listing> {
        let id = uuid::Uuid::new_v4().to_string();
        let t = now().millis();
        let insert = sqlx::query(
            "INSERT INTO listings (id, seller_id, title, description, price_kind, price_cents,
                                   category, top_category, postal_code, city, status,
                                   created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        )
        .bind(&id)
        .bind(&seller.id.0);
        bind_draft(insert, &draft)
            .bind(ListingStatus::Active.as_str())
            .bind(t)
            .execute(self.db.pool())
            .await?;
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

    /// Replaces the listing's fields (seller or admin only).
    pub async fn update(
        &self,
        actor: &CurrentUser,
        id: &str,
        draft: ListingDraft,
    ) -> Result<Listing> {
        self.managed(actor, id).await?;
        let update = sqlx::query(
            "UPDATE listings SET title = $1, description = $2, price_kind = $3, price_cents = $4,
                                 category = $5, top_category = $6, postal_code = $7, city = $8,
                                 updated_at = $9
             WHERE id = $10",
        );
        bind_draft(update, &draft).bind(now().millis()).bind(id).execute(self.db.pool()).await?;
        self.load(id).await?.ok_or(Error::NotFound)
    }

    /// Reserve, mark sold, deactivate, reactivate or delete (seller or admin only).
    pub async fn set_status(
        &self,
        actor: &CurrentUser,
        id: &str,
        next: ListingStatus,
    ) -> Result<Listing> {
        let current = self.managed(actor, id).await?;
        if !current.status.can_change_to(next) {
            return Err(Error::Invalid { field: Field::Status, problem: Invalid::StatusChange });
        }
        // Compare-and-set: a concurrent change in between is not overwritten.
        let done = sqlx::query(
            "UPDATE listings SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(next.as_str())
        .bind(now().millis())
        .bind(id)
        .bind(current.status.as_str())
        .execute(self.db.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Invalid { field: Field::Status, problem: Invalid::StatusChange });
        }
        self.load(id).await?.ok_or(Error::NotFound)
    }

    /// A seller's listings, newest first, without deleted ones. `public_only` for
    /// what other people see on the seller's profile.
    pub async fn by_seller(&self, seller: &UserId, public_only: bool) -> Result<Vec<Listing>> {
        let filter = if public_only {
            format!("l.status IN ({})", public_statuses_sql())
        } else {
            format!("l.status <> '{}'", ListingStatus::Deleted.as_str())
        };
        let rows: Vec<ListingRow> = sqlx::query_as(&format!(
            "{LISTING_SELECT} WHERE l.seller_id = $1 AND {filter}
             ORDER BY l.created_at DESC, l.id DESC"
        ))
        .bind(&seller.0)
        .fetch_all(self.db.pool())
        .await?;
        rows.into_iter().map(ListingRow::into_listing).collect()
    }

    /// The listing, if `actor` may change it; `Forbidden` if they can see but not
    /// change it, `NotFound` if they cannot even see it.
    async fn managed(&self, actor: &CurrentUser, id: &str) -> Result<Listing> {
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
        let row: Option<ListingRow> = sqlx::query_as(&format!("{LISTING_SELECT} WHERE l.id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        row.map(ListingRow::into_listing).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{Accounts, NewAccount};
    use marktchat_shared::{Language, Role};

    async fn user(db: &Database, email: &str, role: Role) -> CurrentUser {
        let mut new =
            NewAccount::parse(email, "Test Person", "a long enough secret", Language::De).unwrap();
        new.role = role;
        let p = Accounts::new(db).register(new).await.unwrap();
        CurrentUser { id: p.id, display_name: p.display_name, role, language: p.language }
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
        assert!(matches!(
            err,
            Error::Invalid { field: Field::Price, problem: Invalid::PriceFormat }
        ));
        let err =
            ListingDraft::parse("Rad", "", "free", "", "vehicles", "10115", "Berlin").unwrap_err();
        assert!(matches!(err, Error::Invalid { field: Field::Category, .. }));
        let err = ListingDraft::parse("Rad", "", "free", "", "vehicles/cars", "1011", "Berlin")
            .unwrap_err();
        assert!(matches!(err, Error::Invalid { field: Field::PostalCode, .. }));
    }

    #[tokio::test]
    async fn create_read_edit_and_statuses() {
        let (db, _dir) = crate::db::test_db().await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let other = user(&db, "other@example.de", Role::User).await;
        let admin = user(&db, "admin@example.de", Role::Admin).await;
        let listings = Listings::new(&db);

        let l = listings.create(&seller, draft("Rennrad 28 Zoll", "Kaum gefahren.")).await.unwrap();
        assert_eq!(l.price, Price::Fixed { cents: 12050 });
        assert_eq!(l.status, ListingStatus::Active);
        assert_eq!(l.seller_name, "Test Person");
        assert_eq!(listings.get(&l.id, None).await.unwrap().title, "Rennrad 28 Zoll");

        // Others cannot edit or change the status, and nothing changes.
        assert!(matches!(
            listings.update(&other, &l.id, draft("Gestohlen", "")).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            listings.set_status(&other, &l.id, ListingStatus::Sold).await,
            Err(Error::Forbidden)
        ));
        assert_eq!(listings.get(&l.id, None).await.unwrap().title, "Rennrad 28 Zoll");

        let edited =
            listings.update(&seller, &l.id, draft("Rennrad, 28 Zoll", "Neu: Licht")).await.unwrap();
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
        assert!(matches!(
            listings.set_status(&seller, &l.id, ListingStatus::Sold).await,
            Err(Error::Invalid { field: Field::Status, .. })
        ));
        // an admin may act for the seller
        listings.set_status(&admin, &l.id, ListingStatus::Active).await.unwrap();

        assert_eq!(listings.by_seller(&seller.id, true).await.unwrap().len(), 1);
        listings.set_status(&seller, &l.id, ListingStatus::Deleted).await.unwrap();
        assert!(matches!(listings.get(&l.id, Some(&seller)).await, Err(Error::NotFound)));
        assert!(listings.by_seller(&seller.id, false).await.unwrap().is_empty());
        assert!(matches!(
            listings.set_status(&seller, &l.id, ListingStatus::Active).await,
            Err(Error::NotFound)
        ));
    }

    #[tokio::test]
    async fn full_text_index_follows_the_listings() {
        let (db, _dir) = crate::db::test_db().await;
        let seller = user(&db, "seller@example.de", Role::User).await;
        let listings = Listings::new(&db);
        let l = listings
            .create(&seller, draft("Gebrauchtes Fahrrad", "Mit Körbchen und Klingel"))
            .await
            .unwrap();
        let hits = |q: &'static str| {
            let db = db.clone();
            async move {
                let rows: Vec<(String,)> = sqlx::query_as(
                    "SELECT l.id FROM listings_fts f JOIN listings l ON l.rowid = f.rowid
                     WHERE listings_fts MATCH $1",
                )
                .bind(q)
                .fetch_all(db.pool())
                .await
                .unwrap();
                rows.len()
            }
        };
        assert_eq!(hits("fahrrad").await, 1);
        assert_eq!(hits("korbchen").await, 1, "diacritics folded");
        listings.update(&seller, &l.id, draft("Rennrad", "Ohne Korb")).await.unwrap();
        assert_eq!(hits("fahrrad").await, 0);
        assert_eq!(hits("rennrad").await, 1);
    }
}

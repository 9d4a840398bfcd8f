-- Listings, their images and favourites. Same portable types as 0001.

CREATE TABLE listings (
    id           TEXT PRIMARY KEY NOT NULL,
    seller_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    -- 'fixed' (price_cents set), 'negotiable' or 'free'
    price_kind   TEXT NOT NULL,
    price_cents  BIGINT,
    -- a subcategory slug (electronics/phones) and its top category (electronics)
    category     TEXT NOT NULL,
    top_category TEXT NOT NULL,
    postal_code  TEXT NOT NULL,
    city         TEXT NOT NULL,
    -- active | reserved | sold | inactive | deleted (rows are kept: conversations refer to them)
    status       TEXT NOT NULL DEFAULT 'active',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    -- full-text search over title and description ('simple': no stemming, like SQLite's
    -- unicode61 tokenizer; unaccent would need an extension, left for later)
    search       tsvector GENERATED ALWAYS AS (
                     to_tsvector('simple', title || ' ' || description)
                 ) STORED
);

CREATE INDEX listings_latest ON listings (status, created_at, id);
CREATE INDEX listings_by_seller ON listings (seller_id, status, created_at);
CREATE INDEX listings_by_category ON listings (category, status, created_at, id);
CREATE INDEX listings_by_top_category ON listings (top_category, status, created_at, id);
CREATE INDEX listings_search ON listings USING GIN (search);

CREATE TABLE listing_images (
    listing_id TEXT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    -- content hash of the stored image; files live under the data directory by hash
    hash       TEXT NOT NULL,
    width      BIGINT NOT NULL,
    height     BIGINT NOT NULL,
    PRIMARY KEY (listing_id, position)
);

CREATE TABLE favourites (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    listing_id TEXT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, listing_id)
);

CREATE INDEX favourites_by_listing ON favourites (listing_id);

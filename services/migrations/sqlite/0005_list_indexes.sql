-- Indexes in the order each list is shown, so no list sorts the table (issue: the start
-- page sorted ~90,000 rows per request). They cover only what the public sees
-- (status active or reserved: the queries name the same condition, so both databases
-- use these partial indexes), and they end in the id, the tie-breaker of keyset
-- pagination.
--
-- The price orders get their keys as columns, written by the application
-- (shared::listing::Price::sort_keys): negotiable listings have no amount and come last
-- both ways, free counts as 0. Existing rows get theirs here.
ALTER TABLE listings ADD COLUMN price_asc_key BIGINT NOT NULL DEFAULT 0;
ALTER TABLE listings ADD COLUMN price_desc_key BIGINT NOT NULL DEFAULT 0;
UPDATE listings SET
    price_asc_key = CASE WHEN price_kind = 'negotiable' THEN 1000000001 ELSE COALESCE(price_cents, 0) END,
    price_desc_key = CASE WHEN price_kind = 'negotiable' THEN -1 ELSE COALESCE(price_cents, 0) END;

DROP INDEX listings_latest;
DROP INDEX listings_by_category;
DROP INDEX listings_by_top_category;
DROP INDEX listings_by_seller;

CREATE INDEX listings_public_newest ON listings (created_at, id)
    WHERE status IN ('active', 'reserved');
CREATE INDEX listings_public_price_asc ON listings (price_asc_key, id)
    WHERE status IN ('active', 'reserved');
CREATE INDEX listings_public_price_desc ON listings (price_desc_key, id)
    WHERE status IN ('active', 'reserved');
CREATE INDEX listings_public_by_category ON listings (category, created_at, id)
    WHERE status IN ('active', 'reserved');
CREATE INDEX listings_public_by_top_category ON listings (top_category, created_at, id)
    WHERE status IN ('active', 'reserved');
CREATE INDEX listings_by_seller ON listings (seller_id, created_at, id);

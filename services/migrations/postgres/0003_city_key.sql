-- The town as the place filter compares it: lower case without accents, made by the
-- application (shared::listing::city_key), because SQLite's LOWER only folds ASCII.
-- Rows from before this migration are filled in by Database::migrate.
ALTER TABLE listings ADD COLUMN city_key TEXT NOT NULL DEFAULT '';
CREATE INDEX listings_by_city_key ON listings (city_key, status, created_at, id);

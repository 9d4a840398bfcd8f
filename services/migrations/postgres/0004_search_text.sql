-- Full-text search over the listing's words as the application folds them
-- (shared::search::fold: lower case, no accents, ß → ss), so SQLite and PostgreSQL
-- index exactly the same words and find the same listings. NULL until computed: rows
-- from before this migration are filled in by Database::migrate.
DROP INDEX listings_search;
ALTER TABLE listings DROP COLUMN search;
ALTER TABLE listings ADD COLUMN search_text TEXT;
ALTER TABLE listings ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', COALESCE(search_text, ''))
) STORED;
CREATE INDEX listings_search ON listings USING GIN (search);

-- Full-text search over the listing's words as the application folds them
-- (shared::search::fold: lower case, no accents, ß → ss), so SQLite and PostgreSQL
-- index exactly the same words and find the same listings. NULL until computed: rows
-- from before this migration are filled in by Database::migrate, and the update
-- trigger puts them into the index then.
DROP TRIGGER listings_fts_insert;
DROP TRIGGER listings_fts_delete;
DROP TRIGGER listings_fts_update;
DROP TABLE listings_fts;

ALTER TABLE listings ADD COLUMN search_text TEXT;

CREATE VIRTUAL TABLE listings_fts USING fts5 (
    search_text,
    content = 'listings',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER listings_fts_insert AFTER INSERT ON listings WHEN new.search_text IS NOT NULL
BEGIN
    INSERT INTO listings_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;

CREATE TRIGGER listings_fts_delete AFTER DELETE ON listings WHEN old.search_text IS NOT NULL
BEGIN
    INSERT INTO listings_fts (listings_fts, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
END;

CREATE TRIGGER listings_fts_update AFTER UPDATE OF search_text ON listings BEGIN
    INSERT INTO listings_fts (listings_fts, rowid, search_text)
    SELECT 'delete', old.rowid, old.search_text WHERE old.search_text IS NOT NULL;
    INSERT INTO listings_fts (rowid, search_text)
    SELECT new.rowid, new.search_text WHERE new.search_text IS NOT NULL;
END;

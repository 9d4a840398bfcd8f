-- What a form posted without JavaScript held when it failed (its fields and the
-- error), kept for the page the browser is sent back to (services/src/flash.rs): in
-- the database, not in the address, so it never reaches a URL, a browser's history or
-- a log, and any instance can show it. The browser holds only the random id, in an
-- HttpOnly cookie; a row is read once and lives five minutes at most.
CREATE TABLE form_flashes (
    id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX form_flashes_created ON form_flashes (created_at);

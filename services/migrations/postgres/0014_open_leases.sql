-- Connections open at once per key, counted for all instances together
-- (services/src/rate_limit/open.rs): a user's chat sockets, a visitor's help-bot
-- sockets. One row per open connection; its instance renews it while it stays open,
-- so the rows of an instance that died stop counting when they expire. The key is a
-- keyed hash (a user id, or a visitor's address), never the thing itself.
CREATE TABLE open_leases (
    id         TEXT   NOT NULL PRIMARY KEY,
    name       TEXT   NOT NULL,
    key        TEXT   NOT NULL,
    instance   TEXT   NOT NULL,
    -- when the row stops counting unless renewed, in ms
    expires_at BIGINT NOT NULL
);
CREATE INDEX open_leases_key ON open_leases (name, key, expires_at);
CREATE INDEX open_leases_instance ON open_leases (instance);

-- Sync API clients: a name, scopes, and the SHA-256 of the token (the token itself is
-- shown once and never stored).
CREATE TABLE api_clients (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    token_hash  TEXT NOT NULL UNIQUE,
    -- space-separated: TAG_RULE_READ TAG_RULE_WRITE USER_READ USER_WRITE
    scopes      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

-- Accounts and server-side sessions.
-- Portable types only (the same queries run on SQLite and PostgreSQL through sqlx::Any):
-- ids are UUIDs as TEXT, timestamps are BIGINT milliseconds since the Unix epoch (UTC),
-- flags are BIGINT 0/1.

CREATE TABLE users (
    id              TEXT PRIMARY KEY NOT NULL,
    email           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    -- lower-cased display name: what the directory searches and sorts by
    name_key        TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'user',
    location        TEXT,
    bio             TEXT,
    language        TEXT NOT NULL DEFAULT 'de',
    notify_messages BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE INDEX users_by_name ON users (name_key, id);

CREATE TABLE sessions (
    -- SHA-256 of the cookie token: a leaked database does not yield usable cookies
    token_hash   TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

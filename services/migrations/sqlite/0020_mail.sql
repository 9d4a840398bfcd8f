-- Outgoing mail (services::mail): queued in the database, sent by one instance at a
-- time (a job claim per round, and a lease per mail), retried with backoff until it
-- goes out or is refused for good. Once sent, a mail's bodies are emptied: a reset
-- link must not outlive its sending in the database. Times in ms.
CREATE TABLE mail_queue (
    id              TEXT   NOT NULL PRIMARY KEY,
    recipient       TEXT   NOT NULL,
    subject         TEXT   NOT NULL,
    body_text       TEXT   NOT NULL,
    body_html       TEXT   NOT NULL,
    -- the one-click unsubscribe address (RFC 8058), for notices
    unsubscribe     TEXT,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- while an instance sends it; 0 when nobody does
    leased_until    BIGINT NOT NULL DEFAULT 0,
    sent_at         BIGINT,
    -- refused for good (a permanent SMTP error, or too many attempts)
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Password reset links: only the token's hash is kept; a link works once, for an hour.
CREATE TABLE password_resets (
    token_hash TEXT   NOT NULL PRIMARY KEY,
    user_id    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- A new e-mail address waits for its owner to confirm it through a mailed link (only
-- its hash is kept; a day, once); the old address is told of the change.
CREATE TABLE email_changes (
    token_hash TEXT   NOT NULL PRIMARY KEY,
    user_id    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email  TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX email_changes_user ON email_changes (user_id);

-- "Last active" and "answers usually within" (shared::account::Activity). last_active_at
-- is noted when a session is used, at most once an hour (sessions.rs); NULL: not
-- since this migration. Each is shown to others unless the person hides it.
ALTER TABLE users ADD COLUMN last_active_at BIGINT;
ALTER TABLE users ADD COLUMN show_last_active BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN show_reply_time BIGINT NOT NULL DEFAULT 1;

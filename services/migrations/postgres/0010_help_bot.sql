-- The help bot: transcripts of chats in the stored mode, and hourly statistics.
--
-- A private chat writes nothing here but statistics. No table holds an address.

-- A stored chat. Its id is the UUID the chat got at its start; `code_bits` are the
-- 60 bits its chat code shows (shared::bot::ChatCode), by which a visitor deletes it.
CREATE TABLE bot_chats (
    id          TEXT PRIMARY KEY NOT NULL,
    code_bits   BIGINT NOT NULL,
    -- 'de' or 'en'
    language    TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    -- the newest message (the admin list's order)
    last_at     BIGINT NOT NULL,
    -- NULL while the chat runs
    ended_at    BIGINT
);

CREATE INDEX bot_chats_by_code ON bot_chats (code_bits);
CREATE INDEX bot_chats_newest_first ON bot_chats (last_at, id);

-- What was said in a stored chat, in order. Goes with its chat.
CREATE TABLE bot_messages (
    chat_id     TEXT NOT NULL REFERENCES bot_chats (id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    -- 'visitor' or 'bot'
    sender      TEXT NOT NULL,
    text        TEXT NOT NULL,
    -- the bot's listing links, JSON (shared::bot::protocol::ResultLink), if any
    links_json  TEXT,
    PRIMARY KEY (chat_id, seq)
);

-- Counts per hour, kept in every mode and after transcripts are deleted. A row names
-- only its hour (milliseconds since the epoch, a whole UTC hour): no chat, no code,
-- no visitor.
CREATE TABLE bot_stats (
    hour               BIGINT PRIMARY KEY NOT NULL,
    chats_started      BIGINT NOT NULL DEFAULT 0,
    chats_ended        BIGINT NOT NULL DEFAULT 0,
    messages_received  BIGINT NOT NULL DEFAULT 0,
    messages_sent      BIGINT NOT NULL DEFAULT 0
);

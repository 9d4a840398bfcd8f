-- Conversations, their participants, messages and blocks. Same portable types as 0001.
--
-- Messages outlive accounts: sender and participant ids carry no foreign key to
-- users. When an account is deleted its users row goes; its messages stay, and
-- every page shows a sender without a users row as "a deleted user" (the id is a
-- random UUID that no longer leads to any personal data).

CREATE TABLE conversations (
    id              TEXT PRIMARY KEY NOT NULL,
    -- the listing it is about (NULL: a direct conversation). No foreign key: a listing
    -- removed with its seller's account leaves its conversations readable.
    listing_id      TEXT,
    -- the listing's title when the conversation started, shown once the listing is gone
    listing_title   TEXT,
    -- for a listing conversation: who asked (buyer) and who sells; unique together
    buyer_id        TEXT,
    seller_id       TEXT,
    -- for a two-person direct conversation: "smaller id|larger id" (NULL for groups)
    direct_key      TEXT UNIQUE,
    -- why it takes no more messages (shared::chat::ClosedReason), NULL while open
    closed          TEXT,
    -- the sequence number of the newest message (0: none yet)
    last_seq        BIGINT NOT NULL DEFAULT 0,
    -- newest activity: the inbox's order
    last_activity   BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    CONSTRAINT conversations_listing_buyer_seller UNIQUE (listing_id, buyer_id, seller_id)
);

CREATE TABLE conversation_participants (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL,
    joined_at       BIGINT NOT NULL,
    -- set when the participant left (or their account was deleted)
    left_at         BIGINT,
    -- everything up to this sequence number has been read
    last_read_seq   BIGINT NOT NULL DEFAULT 0,
    -- "delete for me": the participant's history starts after this sequence number
    cleared_seq     BIGINT NOT NULL DEFAULT 0,
    archived        BIGINT NOT NULL DEFAULT 0,
    deleted         BIGINT NOT NULL DEFAULT 0,
    muted           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);

CREATE INDEX participants_by_user ON conversation_participants (user_id, conversation_id);

CREATE TABLE messages (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             BIGINT NOT NULL,
    sender_id       TEXT NOT NULL,
    -- chosen by the sender's client: a resend with the same id is the same message
    client_id       TEXT NOT NULL,
    -- who it was addressed to when sent (space-separated user ids)
    recipients      TEXT NOT NULL,
    listing_id      TEXT,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq),
    CONSTRAINT messages_sender_client_id UNIQUE (sender_id, client_id)
);

CREATE TABLE blocks (
    blocker_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);

CREATE INDEX blocks_by_blocked ON blocks (blocked_id);

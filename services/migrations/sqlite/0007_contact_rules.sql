-- Contact rules (../shared/spec/rules.md): the switch, tags per user, the rules.
-- Every change bumps settings.rules_version, so a cached rule set knows it is stale.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

INSERT INTO settings (key, value) VALUES ('interaction_restrictions', 'off');
INSERT INTO settings (key, value) VALUES ('rules_version', '0');

CREATE TABLE user_tags (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (user_id, tag)
);

CREATE INDEX user_tags_by_tag ON user_tags (tag, user_id);

CREATE TABLE contact_rules (
    id          TEXT PRIMARY KEY NOT NULL,
    -- creation order: the API lists rules in it
    position    BIGINT NOT NULL,
    -- exactly as the client sent it (it parsed)
    condition   TEXT NOT NULL,
    -- the outcome tags, space-separated (tags contain no spaces)
    outcome     TEXT NOT NULL,
    description TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE INDEX contact_rules_in_order ON contact_rules (position, id);

-- The Sync API lists users oldest account first.
CREATE INDEX users_by_age ON users (created_at, id);

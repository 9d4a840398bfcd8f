-- Every change to tags, rules, the restrictions switch and API clients, made through
-- the Sync API, the admin area or the command line: who, when, what before and after.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY NOT NULL,
    at          BIGINT NOT NULL,
    -- 'api_client', 'admin' or 'operator' (the command line)
    actor_kind  TEXT NOT NULL,
    -- the client's name, the admin's user id, or the operator's login
    actor       TEXT NOT NULL,
    -- e.g. 'rule.create', 'user.tags', 'restrictions.set'
    action      TEXT NOT NULL,
    -- what was changed: a rule id, a user id, a client name
    subject     TEXT,
    -- JSON, or NULL where there was nothing before / is nothing after
    before_json TEXT,
    after_json  TEXT
);

CREATE INDEX audit_log_newest_first ON audit_log (at, id);

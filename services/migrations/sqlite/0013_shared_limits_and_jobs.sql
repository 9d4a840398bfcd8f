-- Attempt limits counted for all instances together (services/src/rate_limit/shared.rs):
-- hits per limit, key and time bucket (one window long). The key is a keyed hash of
-- what is counted (an account, an address, a user), never the thing itself.
CREATE TABLE limit_counts (
    name       TEXT   NOT NULL,
    key        TEXT   NOT NULL,
    bucket     BIGINT NOT NULL,
    hits       BIGINT NOT NULL,
    -- when the row no longer counts (the end of the bucket after this one), in ms
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (name, key, bucket)
);
CREATE INDEX limit_counts_expiry ON limit_counts (expires_at);

-- Periodic jobs that one instance runs for all (services/src/jobs.rs): when each was
-- last started, so that the instance that claims it first runs it and the others skip.
CREATE TABLE job_runs (
    name       TEXT   NOT NULL PRIMARY KEY,
    started_at BIGINT NOT NULL
);

-- The automatic health checks' runs (R-12.1): one row per run, at most one per slot whatever the number of servers,
-- with every check's state and since when it has held (JSON). Changes of state are in the operation log as well.
CREATE TABLE health_runs (
    id          TEXT PRIMARY KEY NOT NULL,
    slot        TIMESTAMP NOT NULL UNIQUE,
    started_at  TIMESTAMP NOT NULL,
    duration_ms INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('ok', 'warning', 'failed', 'unknown')),
    results     TEXT NOT NULL
);

-- The audit chain verified incrementally (nightly): each row continues from the last event the row before it
-- verified, so a night checks only the events written since.
CREATE TABLE audit_verifications (
    id          TEXT PRIMARY KEY NOT NULL,
    verified_at TIMESTAMP NOT NULL,
    from_seq    INTEGER NOT NULL,
    to_seq      INTEGER NOT NULL,
    to_hash     TEXT NOT NULL,
    intact      BOOLEAN NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_verifications_at ON audit_verifications (verified_at);

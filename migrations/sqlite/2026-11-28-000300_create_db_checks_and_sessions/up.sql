-- The database administrator's checks (R-13.1): snapshots of the database's state (collected daily and on demand;
-- the figures as JSON, the state the platform's rules derive from them and the reasons), and the administrator's
-- record of each check, which is only ever added to.
CREATE TABLE db_snapshots (
    id          TEXT PRIMARY KEY NOT NULL,
    taken_at    TIMESTAMP NOT NULL,
    origin      TEXT NOT NULL CHECK (origin IN ('scheduled', 'on_demand')),
    taken_by    TEXT REFERENCES users (id),
    backend     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('ok', 'warning', 'failed')),
    -- A JSON array of texts: why the state is not ok.
    reasons     TEXT NOT NULL,
    -- The figures as JSON (credit_types::dbadmin::DbFigures).
    figures     TEXT NOT NULL
);
CREATE INDEX db_snapshots_taken_at ON db_snapshots (taken_at);

CREATE TABLE db_check_records (
    id          TEXT PRIMARY KEY NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    state       TEXT NOT NULL CHECK (state IN ('normal', 'abnormal')),
    warnings    TEXT,
    error_cause TEXT,
    solution    TEXT,
    snapshot_id TEXT REFERENCES db_snapshots (id),
    CHECK (state = 'normal' OR (error_cause IS NOT NULL AND solution IS NOT NULL))
);
CREATE INDEX db_check_records_recorded_at ON db_check_records (recorded_at);

-- Archived checks can be added, never changed or removed.
CREATE TRIGGER db_check_records_no_update BEFORE UPDATE ON db_check_records
BEGIN
    SELECT RAISE(ABORT, 'database check records are append-only');
END;
CREATE TRIGGER db_check_records_no_delete BEFORE DELETE ON db_check_records
BEGIN
    SELECT RAISE(ABORT, 'database check records are append-only');
END;

-- When upkeep of the database last ran (`optimize`: SQLite's planner statistics refreshed).
CREATE TABLE db_upkeep (
    task        TEXT PRIMARY KEY NOT NULL,
    done_at     TIMESTAMP NOT NULL
);

-- The sessions overview (R-8.2): for each session (a refresh-token family, whose id access tokens carry), where and
-- with what it was opened, and when and from where it was last used. Whether it is open is still decided by its
-- refresh tokens alone. Sessions opened before this table get a row from their tokens, without address or browser.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    started_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    address      TEXT,
    last_address TEXT,
    user_agent   TEXT
);
CREATE INDEX sessions_user_id ON sessions (user_id);
INSERT INTO sessions (id, user_id, started_at, last_used_at)
    SELECT family_id, MIN(user_id), MIN(created_at), MAX(created_at) FROM refresh_tokens GROUP BY family_id;
CREATE INDEX refresh_tokens_open ON refresh_tokens (expires_at) WHERE revoked_at IS NULL;

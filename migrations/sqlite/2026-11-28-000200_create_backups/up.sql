-- Backups with a proven restore (R-14.1, R-24.1): the database administrator's plan (one row), and one row per
-- backup with what it holds (rows per table, the audit chain's head at the moment of the copy) and what restoring
-- it into a scratch database found. The private key that decrypts backups is never stored here: only the path of
-- the file the server's verifier reads it from.
CREATE TABLE backup_plan (
    id            INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    enabled       BOOLEAN NOT NULL,
    -- China time, HH:MM.
    time_of_day   TEXT NOT NULL,
    keep_count    INTEGER CHECK (keep_count IS NULL OR keep_count >= 1),
    keep_days     INTEGER CHECK (keep_days IS NULL OR keep_days >= 1),
    target_dir    TEXT NOT NULL,
    -- The age X25519 public key (age1…) backups are encrypted to.
    recipient     TEXT NOT NULL,
    -- Where the verifier finds the private key (a file on the server, outside the database).
    identity_file TEXT NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users (id),
    CHECK (keep_count IS NOT NULL OR keep_days IS NOT NULL)
);

CREATE TABLE backups (
    id           TEXT PRIMARY KEY NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('running', 'verified', 'verification_failed', 'failed')),
    trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('scheduled', 'manual', 'command')),
    backend      TEXT NOT NULL,
    file         TEXT NOT NULL,
    size_bytes   BIGINT,
    -- SHA-256 of the encrypted file, hex.
    sha256       TEXT,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    duration_ms  BIGINT,
    -- {"table": rows, …} at the moment of the copy.
    table_rows   TEXT,
    audit_seq    BIGINT,
    audit_hash   TEXT,
    verified_at  TIMESTAMP,
    message      TEXT,
    removed_at   TIMESTAMP,
    started_by   TEXT REFERENCES users (id)
);

CREATE INDEX backups_newest ON backups (started_at DESC, id DESC);

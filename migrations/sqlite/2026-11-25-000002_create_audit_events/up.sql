-- Tamper-evident audit trail (R-3.1, R-30.1): append-only events, each carrying the hash of the one before.
CREATE TABLE audit_events (
    seq          BIGINT PRIMARY KEY NOT NULL CHECK (seq > 0),
    occurred_at  TIMESTAMP NOT NULL,
    actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('user', 'client', 'anonymous', 'system')),
    actor_id     TEXT,
    actor_ip     TEXT,
    action       TEXT NOT NULL,
    target_kind  TEXT,
    target_id    TEXT,
    purpose      TEXT,
    outcome      TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    detail       TEXT,
    request_id   TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at);
CREATE INDEX audit_events_actor ON audit_events (actor_kind, actor_id);
CREATE INDEX audit_events_action ON audit_events (action);

-- Events can be added, never changed or removed.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- The chain's head: the one row every append updates first, which serialises appends into one linear chain.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

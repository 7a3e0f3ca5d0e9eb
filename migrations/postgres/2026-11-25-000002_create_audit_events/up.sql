-- Tamper-evident audit trail (R-3.1, R-30.1): append-only events, each carrying the hash of the one before.
CREATE TABLE audit_events (
    seq          BIGINT PRIMARY KEY CHECK (seq > 0),
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

-- Events can be added, never changed or removed (TRUNCATE included).
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- The chain's head: the one row every append updates first, which serialises appends into one linear chain.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

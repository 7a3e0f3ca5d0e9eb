-- Deactivation with handover (R-9.2): what the person held and to whom it passed.
CREATE TABLE handovers (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    successor_id TEXT NOT NULL REFERENCES users (id),
    reason       TEXT NOT NULL,
    items        TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX handovers_user ON handovers (user_id);

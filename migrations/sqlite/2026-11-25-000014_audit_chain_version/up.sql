-- R-30.1: events are chained with an HMAC-SHA-256 whose key lives outside the database (version 2). Events written
-- before it carry the plain SHA-256 chain (version 1); verification recomputes each event by its own version, and
-- once a version-2 event exists no version-1 event may follow it. ADD COLUMN changes no row, so the append-only
-- triggers stay untouched.
ALTER TABLE audit_events ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version IN (1, 2));

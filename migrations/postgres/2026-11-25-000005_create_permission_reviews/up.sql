-- Periodic permission reviews (R-10.6): who signed off which report, when, with what findings.
CREATE TABLE permission_reviews (
    id            TEXT PRIMARY KEY NOT NULL,
    reviewed_by   TEXT NOT NULL REFERENCES users (id),
    note          TEXT NOT NULL,
    account_count INTEGER NOT NULL,
    flagged_count INTEGER NOT NULL,
    report        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

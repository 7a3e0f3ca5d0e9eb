-- Credit subjects and records (R-6.1, R-16.1): one subject per code; a record keeps every version it had.
CREATE TABLE subjects (
    id         TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('legal_person', 'natural_person', 'individual_business')),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT
);

-- Character bigrams of subject names: substring search on Chinese names without a full scan, the same way on
-- both databases.
CREATE TABLE subject_grams (
    gram       TEXT NOT NULL,
    subject_id TEXT NOT NULL REFERENCES subjects (id),
    PRIMARY KEY (gram, subject_id)
);

CREATE TABLE records (
    id                  TEXT PRIMARY KEY NOT NULL,
    subject_id          TEXT NOT NULL REFERENCES subjects (id),
    catalog_item_id     TEXT NOT NULL REFERENCES catalog_items (id),
    catalog_version     INTEGER NOT NULL,
    provider_id         TEXT NOT NULL REFERENCES organisations (id),
    jurisdiction_region TEXT NOT NULL REFERENCES regions (code),
    jurisdiction_level  TEXT NOT NULL CHECK (jurisdiction_level IN ('city', 'county')),
    disclosure_class    TEXT NOT NULL CHECK (disclosure_class IN ('public', 'shared', 'authorized')),
    decision_date       DATE NOT NULL,
    publish_until       DATE NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('active', 'under_objection', 'corrected', 'revoked', 'expired')),
    version             INTEGER NOT NULL,
    provider_ref        TEXT,
    content_hash        TEXT NOT NULL,
    field_values        TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    created_by          TEXT NOT NULL,
    updated_by          TEXT NOT NULL,
    UNIQUE (provider_id, provider_ref)
);
CREATE INDEX records_subject ON records (subject_id, disclosure_class);
CREATE INDEX records_provider ON records (provider_id, id);
CREATE INDEX records_jurisdiction ON records (jurisdiction_region, id);
CREATE INDEX records_class ON records (disclosure_class, jurisdiction_level, id);
CREATE INDEX records_catalog ON records (catalog_item_id, id);
CREATE INDEX records_expiry ON records (status, publish_until);

CREATE TABLE record_versions (
    record_id        TEXT NOT NULL REFERENCES records (id),
    version          INTEGER NOT NULL,
    catalog_version  INTEGER NOT NULL,
    disclosure_class TEXT NOT NULL,
    decision_date    DATE NOT NULL,
    publish_until    DATE NOT NULL,
    status           TEXT NOT NULL,
    field_values     TEXT NOT NULL,
    reason           TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    created_by       TEXT NOT NULL,
    PRIMARY KEY (record_id, version)
);

-- Batch intake (R-6.1): progress and row errors of each batch; `idempotency_key` makes a retried upload return
-- the first answer.
CREATE TABLE intake_batches (
    id              TEXT PRIMARY KEY NOT NULL,
    provider_id     TEXT NOT NULL REFERENCES organisations (id),
    created_by      TEXT NOT NULL,
    catalog_code    TEXT NOT NULL,
    format          TEXT NOT NULL CHECK (format IN ('json', 'csv')),
    status          TEXT NOT NULL CHECK (status IN ('validating', 'committing', 'succeeded', 'rejected', 'failed')),
    total_rows      INTEGER NOT NULL,
    processed_rows  INTEGER NOT NULL,
    created_count   INTEGER NOT NULL,
    unchanged_count INTEGER NOT NULL,
    error_count     INTEGER NOT NULL,
    errors          TEXT NOT NULL,
    idempotency_key TEXT,
    request_hash    TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    UNIQUE (provider_id, idempotency_key)
);

-- Objections to credit records (R-29.1) with their steps and evidence, the notes undetermined objections leave on
-- records, and the outbox of notices to appellants (R-28.1: contact details purged after a retention period).
CREATE TABLE objections (
    id                  TEXT PRIMARY KEY NOT NULL,
    tracking_number     TEXT NOT NULL UNIQUE,
    query_code_hash     TEXT NOT NULL,
    record_id           TEXT NOT NULL REFERENCES records (id),
    provider_org_id     TEXT NOT NULL REFERENCES organisations (id),
    jurisdiction_region TEXT NOT NULL,
    appellant_name      TEXT NOT NULL,
    phone               TEXT,
    email               TEXT,
    -- A hash of the appellant's contact: one open objection per appellant and record.
    contact_key         TEXT NOT NULL,
    contact_purged_at   TIMESTAMP,
    relation            TEXT NOT NULL CHECK (relation IN ('subject', 'legal_representative', 'agent')),
    claim_type          TEXT NOT NULL CHECK (claim_type IN ('content_wrong', 'information_missing',
                                                            'past_publication_period', 'not_me', 'other')),
    description         TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'not_accepted', 'decided', 'closed',
                                                        'withdrawn')),
    filed_at            TIMESTAMP NOT NULL,
    filed_by            TEXT,
    accept_by           DATE NOT NULL,
    accepted_at         TIMESTAMP,
    decide_by           DATE,
    decided_at          TIMESTAMP,
    outcome             TEXT CHECK (outcome IN ('corrected', 'upheld', 'undetermined')),
    reason              TEXT,
    verification        TEXT,
    corrected_version   INTEGER,
    ended_at            TIMESTAMP,
    escalated_at        TIMESTAMP,
    updated_by          TEXT
);
CREATE UNIQUE INDEX objections_open_per_appellant ON objections (record_id, contact_key)
    WHERE status IN ('submitted', 'accepted');
CREATE INDEX objections_provider ON objections (provider_org_id, status, id);
CREATE INDEX objections_region ON objections (jurisdiction_region, status, id);
CREATE INDEX objections_record ON objections (record_id, status);

CREATE TABLE objection_steps (
    id           TEXT PRIMARY KEY NOT NULL,
    objection_id TEXT NOT NULL REFERENCES objections (id),
    step         TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    note         TEXT,
    actor_id     TEXT
);
CREATE INDEX objection_steps_objection ON objection_steps (objection_id, id);

-- The files live in the evidence directory under `stored_name` (random), never under the web root.
CREATE TABLE objection_evidence (
    id           TEXT PRIMARY KEY NOT NULL,
    objection_id TEXT NOT NULL REFERENCES objections (id),
    file_name    TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    size         INTEGER NOT NULL,
    stored_name  TEXT NOT NULL UNIQUE,
    uploaded_at  TIMESTAMP NOT NULL
);
CREATE INDEX objection_evidence_objection ON objection_evidence (objection_id);

CREATE TABLE record_notes (
    id           TEXT PRIMARY KEY NOT NULL,
    record_id    TEXT NOT NULL REFERENCES records (id),
    objection_id TEXT NOT NULL REFERENCES objections (id),
    claim        TEXT NOT NULL,
    verification TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX record_notes_record ON record_notes (record_id);

ALTER TABLE record_versions ADD COLUMN objection_id TEXT;

-- Notices to appellants: written in the transaction of the step they tell of, sent (and retried) by a worker.
CREATE TABLE notices (
    id              TEXT PRIMARY KEY NOT NULL,
    objection_id    TEXT NOT NULL REFERENCES objections (id),
    channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    address         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error      TEXT,
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);
CREATE INDEX notices_due ON notices (status, next_attempt_at);
CREATE INDEX notices_objection ON notices (objection_id);

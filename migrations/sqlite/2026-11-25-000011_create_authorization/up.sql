-- Authorised use of credit information (R-15.1, R-16.1, R-18.1, R-23.2): usage agreements with user units,
-- requests routed to the providing unit, grants with an end, and every read made through a grant.
CREATE TABLE usage_agreements (
    id              TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    document_no     TEXT NOT NULL,
    valid_from      DATE NOT NULL,
    valid_to        DATE NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
    status_reason   TEXT,
    created_at      TIMESTAMP NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    updated_by      TEXT NOT NULL,
    CHECK (valid_to >= valid_from)
);
CREATE INDEX usage_agreements_organisation ON usage_agreements (organisation_id, status);

CREATE TABLE agreement_items (
    agreement_id TEXT NOT NULL REFERENCES usage_agreements (id),
    catalog_code TEXT NOT NULL,
    PRIMARY KEY (agreement_id, catalog_code)
);

CREATE TABLE agreement_purposes (
    agreement_id TEXT NOT NULL REFERENCES usage_agreements (id),
    purpose      TEXT NOT NULL,
    PRIMARY KEY (agreement_id, purpose)
);

CREATE TABLE authorization_requests (
    id               TEXT PRIMARY KEY NOT NULL,
    group_id         TEXT NOT NULL,
    requester_id     TEXT NOT NULL REFERENCES users (id),
    requester_org_id TEXT NOT NULL REFERENCES organisations (id),
    provider_org_id  TEXT NOT NULL REFERENCES organisations (id),
    agreement_id     TEXT NOT NULL REFERENCES usage_agreements (id),
    purpose          TEXT NOT NULL CHECK (purpose IN ('administrative_approval', 'supervision_enforcement',
                                                      'public_resource_trading', 'commendation_review', 'other')),
    purpose_text     TEXT,
    legal_basis      TEXT NOT NULL,
    period_days      INTEGER NOT NULL CHECK (period_days > 0),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    created_at       TIMESTAMP NOT NULL,
    decide_by        DATE NOT NULL,
    decided_at       TIMESTAMP,
    decided_by       TEXT,
    decision_note    TEXT
);
CREATE INDEX authorization_requests_provider ON authorization_requests (provider_org_id, status, id);
CREATE INDEX authorization_requests_requester_org ON authorization_requests (requester_org_id, status, id);
CREATE INDEX authorization_requests_requester ON authorization_requests (requester_id, status);

CREATE TABLE request_records (
    request_id TEXT NOT NULL REFERENCES authorization_requests (id),
    record_id  TEXT NOT NULL REFERENCES records (id),
    PRIMARY KEY (request_id, record_id)
);

CREATE TABLE request_attachments (
    id          TEXT PRIMARY KEY NOT NULL,
    request_id  TEXT NOT NULL REFERENCES authorization_requests (id),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    content     BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX request_attachments_request ON request_attachments (request_id);

-- A grant ends at expires_at or when revoked; whether it is in force is judged against the time of each read.
CREATE TABLE grants (
    id              TEXT PRIMARY KEY NOT NULL,
    request_id      TEXT NOT NULL UNIQUE REFERENCES authorization_requests (id),
    grantee_org_id  TEXT NOT NULL REFERENCES organisations (id),
    provider_org_id TEXT NOT NULL REFERENCES organisations (id),
    purpose         TEXT NOT NULL,
    purpose_text    TEXT,
    legal_basis     TEXT NOT NULL,
    granted_at      TIMESTAMP NOT NULL,
    granted_by      TEXT NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    revoked_at      TIMESTAMP,
    revoked_by      TEXT,
    revoke_reason   TEXT
);
CREATE INDEX grants_grantee ON grants (grantee_org_id, expires_at);
CREATE INDEX grants_provider ON grants (provider_org_id, id);

CREATE TABLE grant_records (
    grant_id  TEXT NOT NULL REFERENCES grants (id),
    record_id TEXT NOT NULL REFERENCES records (id),
    PRIMARY KEY (grant_id, record_id)
);
CREATE INDEX grant_records_record ON grant_records (record_id, grant_id);

CREATE TABLE grant_uses (
    id              TEXT PRIMARY KEY NOT NULL,
    grant_id        TEXT NOT NULL REFERENCES grants (id),
    provider_org_id TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    actor_kind      TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    action          TEXT NOT NULL,
    used_at         TIMESTAMP NOT NULL
);
CREATE INDEX grant_uses_grant ON grant_uses (grant_id, id);
CREATE INDEX grant_uses_provider ON grant_uses (provider_org_id, id);

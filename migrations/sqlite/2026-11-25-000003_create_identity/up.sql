-- Identity (R-7.1, R-8.1, R-9, R-10): organisations, personal accounts with roles, sessions. No account is created
-- here (R-10.2): the first administrator comes from `credit-api create-admin`.
CREATE TABLE organisations (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    uscc        TEXT NOT NULL UNIQUE,
    level       TEXT NOT NULL CHECK (level IN ('city', 'county')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    created_by  TEXT,
    updated_by  TEXT
);

CREATE TABLE organisation_kinds (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('data_provider', 'user_unit', 'competent_office',
                                                  'county_lead_unit', 'account_office', 'credit_service_agency')),
    PRIMARY KEY (organisation_id, kind)
);

CREATE TABLE users (
    id                   TEXT PRIMARY KEY NOT NULL,
    organisation_id      TEXT NOT NULL REFERENCES organisations (id),
    login_name           TEXT NOT NULL UNIQUE,
    full_name            TEXT NOT NULL,
    phone                TEXT,
    email                TEXT,
    password_hash        TEXT NOT NULL,
    password_changed_at  TIMESTAMP NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    deactivated_at       TIMESTAMP,
    deactivation_reason  TEXT,
    expires_on           DATE,
    token_version        INTEGER NOT NULL DEFAULT 0,
    last_login_at        TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    created_by           TEXT,
    updated_by           TEXT
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    role    TEXT NOT NULL CHECK (role IN ('city_credit_admin', 'county_credit_admin', 'user_unit', 'data_provider',
                                          'account_admin', 'system_admin', 'db_admin', 'security_auditor')),
    PRIMARY KEY (user_id, role)
);

-- Earlier password hashes, so the last ones cannot be reused (R-10.5).
CREATE TABLE password_history (
    id            TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, created_at);

-- Failed sign-ins by login name, existing or not, so a lockout reveals nothing about which names exist (R-10.7).
CREATE TABLE login_failures (
    id          TEXT PRIMARY KEY NOT NULL,
    login_name  TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_name ON login_failures (login_name, occurred_at);

-- Refresh tokens, stored hashed. One family per sign-in (a session); each use replaces the token, and the use of a
-- replaced token revokes the whole family.
CREATE TABLE refresh_tokens (
    id            TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id),
    family_id     TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    replaced_at   TIMESTAMP,
    revoked_at    TIMESTAMP,
    revoke_reason TEXT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- External systems (R-17.1): OAuth2 client credentials of one organisation, secret stored hashed, with scopes and
-- a rate limit.
CREATE TABLE api_clients (
    id                    TEXT PRIMARY KEY NOT NULL,
    organisation_id       TEXT NOT NULL REFERENCES organisations (id),
    name                  TEXT NOT NULL,
    client_id             TEXT NOT NULL UNIQUE,
    secret_hash           TEXT NOT NULL,
    scopes                TEXT NOT NULL,
    rate_limit_per_minute INTEGER NOT NULL CHECK (rate_limit_per_minute > 0),
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    created_at            TIMESTAMP NOT NULL,
    created_by            TEXT NOT NULL,
    revoked_at            TIMESTAMP,
    revoked_by            TEXT
);
CREATE INDEX api_clients_organisation ON api_clients (organisation_id);

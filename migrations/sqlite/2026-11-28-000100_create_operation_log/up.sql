-- The operation log (运行日志, R-12.1): append-only. A correction is a new row pointing at the one it corrects;
-- nothing is updated or deleted, so old entries stay searchable for good.
CREATE TABLE operation_log (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('automatic_check', 'inspection', 'hardware_fault', 'change',
                                               'maintenance', 'tuning', 'other')),
    severity     TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    text         TEXT NOT NULL,
    -- The person who wrote it; NULL for the platform's own entries, which name their check in `source`.
    author       TEXT REFERENCES users (id),
    source       TEXT,
    corrects     TEXT REFERENCES operation_log (id),
    -- A hardware fault's device, symptom, and who was told when (all four or none).
    device       TEXT,
    symptom      TEXT,
    notified     TEXT,
    notified_at  TIMESTAMP,
    recorded_at  TIMESTAMP NOT NULL,
    CHECK (author IS NOT NULL OR source IS NOT NULL),
    CHECK ((kind = 'hardware_fault') = (device IS NOT NULL AND symptom IS NOT NULL AND notified IS NOT NULL
                                        AND notified_at IS NOT NULL))
);
CREATE INDEX operation_log_recorded ON operation_log (recorded_at, id);
CREATE INDEX operation_log_kind ON operation_log (kind, recorded_at);
CREATE INDEX operation_log_corrects ON operation_log (corrects);

-- Scheduled work claimed once per slot across every server sharing the database: the first server to insert a
-- (job, slot) row runs it, the others see the conflict and skip.
CREATE TABLE job_runs (
    job        TEXT NOT NULL,
    slot       TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (job, slot)
);

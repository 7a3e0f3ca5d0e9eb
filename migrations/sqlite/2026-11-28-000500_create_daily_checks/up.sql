-- The daily pre-work check (R-21.1): one row per day someone checked or a working day's check fell due, and one
-- row per item a system administrator confirmed. Nothing here is ever updated except the moment the overdue check
-- was written to the operation log (so that it is written once, whatever the number of servers).
CREATE TABLE daily_checks (
    work_day          DATE PRIMARY KEY NOT NULL,
    -- Whether the working-day calendar counted the day as a working day when its row was made.
    working_day       BOOLEAN NOT NULL,
    -- When the check had to be complete (the configured time of day, China time, stored as UTC).
    due_at            TIMESTAMP NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    overdue_logged_at TIMESTAMP
);

CREATE TABLE daily_check_items (
    work_day          DATE NOT NULL REFERENCES daily_checks (work_day),
    item              TEXT NOT NULL CHECK (item IN ('platform', 'portal', 'backup')),
    verdict           TEXT NOT NULL CHECK (verdict IN ('ok', 'problem')),
    note              TEXT,
    -- What the automatic health checks said of the item when the person confirmed it.
    automatic_state   TEXT NOT NULL,
    automatic_summary TEXT NOT NULL,
    confirmed_by      TEXT NOT NULL REFERENCES users (id),
    confirmed_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (work_day, item),
    CHECK (verdict = 'ok' OR note IS NOT NULL)
);

-- The performance archive (R-14.2): one row per snapshot slot (every 5 minutes by default), written once however
-- many servers share the database (the server that claims the slot in `job_runs` writes its own figures). Rows
-- older than 7 days are thinned to one an hour; rows older than 400 days are removed.
CREATE TABLE performance_snapshots (
    -- The end of the window the snapshot covers: the slot, aligned to the interval.
    taken_at        TIMESTAMP PRIMARY KEY NOT NULL,
    -- Seconds since the server's previous snapshot (or its start).
    window_seconds  DOUBLE PRECISION NOT NULL,
    requests        BIGINT NOT NULL,
    -- Requests answered with a 5xx status.
    errors          BIGINT NOT NULL,
    -- Latency percentiles of the window, in milliseconds; NULL when no request was answered.
    p50_ms          DOUBLE PRECISION,
    p95_ms          DOUBLE PRECISION,
    p99_ms          DOUBLE PRECISION,
    memory_bytes    BIGINT NOT NULL,
    database_bytes  BIGINT,
    -- The server whose figures these are (host and process id): with several servers, only the claimer's.
    instance        TEXT NOT NULL,
    CHECK (requests >= 0 AND errors >= 0 AND errors <= requests)
);
